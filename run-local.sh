#!/usr/bin/env bash
# Runs the whole system on this machine with embedded back ends (no Docker, no AWS account): builds what is
# missing, starts dynalite, ElasticMQ, aws-ses-v2-local, embedded PostgreSQL, Keycloak, the three services and the
# back office on 127.0.0.1, seeds demo data and prints what to try. Ctrl-C stops every process it started.
#
#   ./run-local.sh                    a clean start: fresh data and secrets
#   ./run-local.sh --keep             keep the data (DynamoDB, PostgreSQL, Keycloak) and the secrets (signing keys,
#                                     idempotency secret) of the run before, under target/local/
#   ./run-local.sh --no-back-office   no Keycloak, no back office (no JDK 21+ needed): the APIs trust a local test key
#   SKIP_BUILD=1 ./run-local.sh       skip the build
set -euo pipefail
cd "$(dirname "$0")"

args=()
back_office=1
for arg in "$@"; do
  case "$arg" in
    --keep) args+=("$arg") ;;
    --no-back-office) args+=("$arg"); back_office=0 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-local.sh: unknown argument $arg (known: --keep, --no-back-office, --help)" >&2; exit 2 ;;
  esac
done

command -v node >/dev/null || { echo "Node.js 20+ is required (the local DynamoDB and SES emulators run on it)" >&2; exit 1; }

# Keycloak 26 runs on Java 21 or newer while the project builds on 17: find one before a long build.
jdk21() {
  local home version
  for home in ${KEYCLOAK_JAVA_HOME:-} "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" /usr/lib/jvm/*; do
    [ -x "$home/bin/java" ] && [ -f "$home/release" ] || continue
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    [ "${version:-0}" -ge 21 ] && return 0
  done
  return 1
}
if [ "$back_office" = 1 ] && ! jdk21; then
  cat >&2 <<'EOF'
No JDK 21 or newer found: Keycloak (the back office's sign-in) needs one. Looked at KEYCLOAK_JAVA_HOME, the java
on PATH and /usr/lib/jvm/*. Either
  - install one (e.g. apt-get install openjdk-21-jdk-headless where the distribution has it, or Temurin 21/25 from
    the Adoptium repository), or point KEYCLOAK_JAVA_HOME at one; or
  - run without the back office: ./run-local.sh --no-back-office
EOF
  exit 1
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "Building (skip with SKIP_BUILD=1)..."
  ./mvnw -B -q install -DskipTests -pl e2e -am
fi
exec ./mvnw -B -q -pl e2e exec:java -Dexec.args="${args[*]:-}"
