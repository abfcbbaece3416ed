#!/usr/bin/env bash
# Runs Juggler EE on this machine: builds what it needs, starts Redis unless JUGGLER_REDIS_URL is
# set, and serves ws://localhost:8080/ws with the demo callees. Ctrl-C stops all.
#   ./run.sh              Payara Micro with juggler-web.war
#   ./run.sh --liberty    Open Liberty with juggler-ear.ear (server.xml from src/main/liberty/config)
#   ./run.sh --payara-server   a Payara Server domain with juggler-ear.ear, set up with asadmin
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q install -DskipTests -Dspotless.check.skip=true
for arg in "$@"; do
  if [ "$arg" = "--liberty" ]; then
    # unpacks the Open Liberty runtime once (juggler-ear/target/liberty/wlp), then copies the
    # current server.xml and EAR into its server "juggler"
    ./mvnw -B -q -pl juggler-ear liberty:create liberty:deploy
  fi
  if [ "$arg" = "--payara-server" ]; then
    # unpacks Payara Server once (juggler-ear/target/payara-server/payara6); the launcher makes
    # the domain, configures it and deploys the EAR with asadmin
    ./mvnw -B -q -pl juggler-ear dependency:unpack@payara-server
  fi
done
exec java -jar juggler-launcher/target/juggler-launcher.jar "$@"
