#!/usr/bin/env bash
# The fault suite (not a test): starts its own Redis (behind the suite's latency proxy), Payara
# Micro servers and callee instances, and nginx, on this machine; drives load, injects one fault per
# scenario with real signals, and writes docs/faults/faults-<date>.json and .md.
# Options: ./faults.sh --no-build --help lists them, e.g. ./faults.sh --scenarios 1,3 or
# ./faults.sh --short (what CI runs). --no-build skips the Maven build (when the modules are
# installed already).
set -euo pipefail
cd "$(dirname "$0")"

. src/main/sh/tool.sh
tool_help faults.sh juggler-faults io.juggler.faults.Faults "$@"
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  ./mvnw -B -q install -DskipTests -Dspotless.check.skip=true
fi
tool_java juggler-faults io.juggler.faults.Faults "$@"
