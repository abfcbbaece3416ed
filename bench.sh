#!/usr/bin/env bash
# Runs the benchmark (not a test): starts its own Redis and Payara Micro on loopback, runs the
# scenarios and writes docs/benchmarks/bench-<date>.json and .md. Options: see Bench's Javadoc,
# e.g. ./bench.sh --duration 5s --scenarios 0,3
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q install -DskipTests -Dspotless.check.skip=true
exec java -cp "juggler-bench/target/juggler-bench-0.1.0-SNAPSHOT.jar:juggler-bench/target/lib/*" \
  io.juggler.bench.Bench "$@"
