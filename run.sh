#!/usr/bin/env bash
# Runs Juggler EE on this machine: builds what it needs, starts Redis unless JUGGLER_REDIS_URL is
# set, and serves ws://localhost:8080/ws with the demo callees. Ctrl-C stops all.
#   ./run.sh              Payara Micro with juggler-web.war (also ./run.sh --payara)
#   ./run.sh --liberty    Open Liberty with juggler-ear.ear (server.xml from src/main/liberty/config)
#   ./run.sh --payara-server   a Payara Server domain with juggler-ear.ear, set up with asadmin
#   JUGGLER_HTTP_PORT (8080), JUGGLER_LOCAL_REDIS_PORT (6379), JUGGLER_REDIS_URL: see README.md
#   ./run.sh --help       this text
set -euo pipefail
cd "$(dirname "$0")"

# the arguments first: a wrong one, or --help, answers at once, before any port check or build
usage() { sed -n '2,8s/^# \{0,1\}//p' run.sh; }
for arg in "$@"; do
  case "$arg" in
    --payara | --liberty | --payara-server) ;;
    -h | --help) usage; exit 0 ;;
    *) echo "[juggler] unknown argument: $arg"; usage; exit 2 ;;
  esac
done

# A port something listens on stops us at once, before the build (the launcher checks every port
# again when it starts, with the same messages).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_port="${JUGGLER_HTTP_PORT:-8080}"
if listening "$http_port"; then
  echo "[juggler] port $http_port is taken: another program listens on it (ss -ltnp 'sport = :$http_port' shows which). Stop it, or use another port: JUGGLER_HTTP_PORT=$((http_port + 1)) ./run.sh"
  exit 1
fi
redis_port="${JUGGLER_LOCAL_REDIS_PORT:-6379}"
if [ -z "${JUGGLER_REDIS_URL:-}" ] && listening "$redis_port"; then
  echo "[juggler] port $redis_port is taken (a Redis already running?). Use that Redis with JUGGLER_REDIS_URL=redis://127.0.0.1:$redis_port ./run.sh, or start one on another port with JUGGLER_LOCAL_REDIS_PORT=$((redis_port + 1)) ./run.sh"
  exit 1
fi

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
