#!/usr/bin/env bash
# Runs the benchmark (not a test): starts its own Redis and Payara Micro on loopback, runs the
# scenarios and writes docs/benchmarks/bench-<date>.json and .md. Options: ./bench.sh --help lists
# them, e.g. ./bench.sh --duration 5s --scenarios 0,3
# Against the Go reference (scenarios 4 and 5 added; docs/benchmarks/README.md, "Against the
# reference"; skipped with a message when DIR/bin lacks its binaries):
#   ./bench.sh --reference ../shared/reference/go-juggler [--warmup 45s] [--scenarios 4,5]
# Open Liberty (--runtime open-liberty, or scenario 4's open-liberty systems, among its default
# ones): when the arguments name it, or give --reference without --systems, the current EAR is laid
# out in juggler-ear/target/liberty/wlp after the install.
# Maven options for both Maven runs (Maven 3.9 reads MAVEN_ARGS), e.g. offline with a repository
# of one's own:
#   MAVEN_ARGS="-o -Dmaven.repo.local=/path/to/repository" ./bench.sh --scenarios 3
set -euo pipefail
cd "$(dirname "$0")"

. src/main/sh/tool.sh
tool_help bench.sh juggler-bench io.juggler.bench.Bench "$@"
./mvnw -B -q install -DskipTests -Dspotless.check.skip=true
if [[ " $* " == *open-liberty* ]] || [[ " $* " == *" --reference "* && " $* " != *" --systems "* ]]; then
  ./mvnw -B -q -pl juggler-ear liberty:create liberty:deploy
fi
tool_java juggler-bench io.juggler.bench.Bench "$@"
