#!/usr/bin/env bash
# The fault suite (not a test): starts its own Redis (behind the suite's latency proxy), Payara
# Micro servers and callee instances, and nginx, on this machine; drives load, injects one fault per
# scenario with real signals, and writes docs/faults/faults-<date>.json and .md.
# Options: ./faults.sh --no-build --help lists them, e.g. ./faults.sh --scenarios 1,3 or
# ./faults.sh --short (what CI runs). --no-build skips the Maven build (when the modules are
# installed already).
set -euo pipefail
cd "$(dirname "$0")"

# --help answers at once: the tool's own option list when it is built, else this header
for arg in "$@"; do
  if [ "$arg" = "--help" ] || [ "$arg" = "-h" ]; then
    if [ -f juggler-faults/target/juggler-faults-0.1.0-SNAPSHOT.jar ]; then
      exec java -cp "juggler-faults/target/juggler-faults-0.1.0-SNAPSHOT.jar:juggler-faults/target/lib/*" io.juggler.faults.Faults --help
    fi
    sed -n '2,/^[^#]/s/^# \{0,1\}//p' faults.sh
    echo "(every option is listed by ./faults.sh --help once the tool is built: ./faults.sh builds it)"
    exit 0
  fi
done
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  ./mvnw -B -q install -DskipTests -Dspotless.check.skip=true
fi
exec java -cp "juggler-faults/target/juggler-faults-0.1.0-SNAPSHOT.jar:juggler-faults/target/lib/*" \
  io.juggler.faults.Faults "$@"
