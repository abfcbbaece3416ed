#!/usr/bin/env bash
# The README's test command: makes sure this machine has the programs the tests drive, then runs
# the build (./mvnw -B verify, or ./mvnw -B ARGS... when given arguments).
#   ./test.sh                 every test (about 20 minutes on 2 cores)
#   ./test.sh -pl juggler-core verify    Maven arguments instead of verify
#   ./test.sh --help          this text
#
#   chromium, chromium-driver  /usr/bin/chromium, /usr/bin/chromedriver (AdminConsoleIT,
#                              JavascriptClientIT: Selenium is pointed at these paths)
#   nginx                      /usr/sbin/nginx (ManyServersIT starts its own, on free ports)
#   nodejs                     node 20 or later on PATH (JavascriptClientIT's Node tests)
#   npm                        npm on PATH (NpmPackageTest packs the JavaScript client and
#                              installs it offline; Debian's nodejs comes without it)
#   redis-server               optional: the tests fall back to the binary bundled in embedded-redis
#
# Missing Debian packages are installed when this script may (as root, or with sudo that needs no
# password); otherwise it stops at once and prints the command that installs them.
#   JUGGLER_TEST_INSTALL=no     never install: only say what is missing
#   JUGGLER_TEST_DRY_RUN=1      print what would be installed and run, run nothing
#   JUGGLER_TEST_SYSROOT=DIR    look for the programs under DIR (for this script's own test)
set -euo pipefail
cd "$(dirname "$0")"

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,/^[^#]/s/^# \{0,1\}//p' test.sh
  exit 0
fi

root="${JUGGLER_TEST_SYSROOT:-}"
dry="${JUGGLER_TEST_DRY_RUN:-}"
say() { echo "test.sh: $*"; }

# the first executable NAME on PATH (under the sysroot), or nothing
find_on_path() {
  local dir
  local IFS=:
  for dir in $PATH; do
    if [ -x "$root$dir/$1" ]; then
      echo "$root$dir/$1"
      return 0
    fi
  done
  return 0
}

# node's major version, 0 when there is no node
node_major() {
  local node v
  node="$(find_on_path node)"
  [ -n "$node" ] || { echo 0; return; }
  v="$("$node" --version 2>/dev/null || true)"
  v="${v#v}"
  echo "${v%%.*}"
}

missing=()   # Debian packages the tests need
optional=()  # Debian packages the tests can do without
[ -x "$root/usr/bin/chromium" ] || missing+=(chromium)
[ -x "$root/usr/bin/chromedriver" ] || missing+=(chromium-driver)
[ -x "$root/usr/sbin/nginx" ] || missing+=(nginx)
[ -n "$(find_on_path node)" ] || missing+=(nodejs)
[ -n "$(find_on_path npm)" ] || missing+=(npm)
[ -n "$(find_on_path redis-server)" ] || optional+=(redis-server)

if [ ${#missing[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
  packages=("${missing[@]}" "${optional[@]}")
  if [ "${JUGGLER_TEST_INSTALL:-auto}" = no ]; then
    sudo=none
  elif [ "$(id -u)" = 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo "
  else
    sudo=none
  fi
  if [ "$sudo" = none ]; then
    if [ ${#missing[@]} -gt 0 ]; then
      say "missing on this machine: ${missing[*]}${optional[*]:+ (and, optional, ${optional[*]})}"
      say "install them, then run ./test.sh again:"
      echo "  sudo apt-get install -y ${packages[*]}"
      exit 1
    fi
    say "no ${optional[*]}: the tests use the Redis binary bundled in embedded-redis"
  elif [ -n "$dry" ]; then
    say "would run: ${sudo}apt-get update && ${sudo}apt-get install -y ${packages[*]}"
  else
    say "installing ${packages[*]}: ${sudo}apt-get install -y ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    ${sudo}apt-get update -qq
    ${sudo}apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
fi

if [ -z "$dry" ] || [ ${#missing[@]} -eq 0 ]; then
  # what the install gave, or what was there: the Node test needs WebSocket (Node.js 20)
  major="$(node_major)"
  case "$major" in '' | *[!0-9]*) major=0 ;; esac
  if [ "$major" -lt 20 ]; then
    say "node $("$(find_on_path node)" --version 2>/dev/null || echo missing) is too old: the tests need Node.js 20 or later (nodejs.org, or Debian 13's nodejs)"
    exit 1
  fi
  for tool in /usr/bin/chromium /usr/bin/chromedriver /usr/sbin/nginx; do
    [ -x "$root$tool" ] || { say "$tool is still missing after the install"; exit 1; }
  done
  [ -n "$(find_on_path npm)" ] || { say "npm is still missing after the install"; exit 1; }
fi

[ $# -gt 0 ] || set -- verify
if [ -n "$dry" ]; then
  say "would run: ./mvnw -B $*"
  exit 0
fi
say "chromium, chromedriver, nginx, node $("$(find_on_path node)" --version) and $(
  r="$(find_on_path redis-server)"; [ -n "$r" ] && "$r" --version | cut -d' ' -f1-3 || echo "the bundled Redis"
); running ./mvnw -B $*"
status=0
./mvnw -B "$@" || status=$?

# the build removes what its Payara Micro runs leave (root pom, post-integration-test)
leftovers="$(ls -d -- */target/arquillian-payara-micro* */target/payaramicro-rt*tmp 2>/dev/null || true)"
if [ -n "$leftovers" ] && [ "$status" = 0 ]; then
  say "the build left Payara Micro folders behind:"
  echo "$leftovers"
  exit 1
fi
exit "$status"
