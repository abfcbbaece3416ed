#!/usr/bin/env bash
# Runs Juggler EE on this machine: builds what it needs, starts Redis unless JUGGLER_REDIS_URL is
# set, and serves ws://localhost:8080/ws on Payara Micro with the demo callees. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q install -DskipTests -Dspotless.check.skip=true
exec java -jar juggler-launcher/target/juggler-launcher.jar "$@"
