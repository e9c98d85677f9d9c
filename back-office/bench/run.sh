#!/usr/bin/env bash
# Page benchmark of the back office, one command:  back-office/bench/run.sh
#
# Packages the issuer, the notification service and the back office (tests skipped) unless SKIP_BUILD=1, then runs
# org.licensing.backoffice.PageBench (test classes): Keycloak with the licensing realm, the packaged issuer and
# notification service on the embedded back ends, LICENSES summaries seeded straight into the read model, the packaged
# back office signed in as the admin demo user; it prints p50/p95 and pages/s of the dashboard, a search, a license
# page and a customer page, each as a ratio to the back office's own trivial page (/signed-out) in the same run.
#
# The reactor's test-support classes come first, so a change there needs no install.
# Knobs (env): LICENSES (100000) CUSTOMERS (2000) CLIENTS (4) REQUESTS (200 per page) SKIP_BUILD=1
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODULE="$ROOT/back-office"
WORK="$MODULE/target/bench"
mkdir -p "$WORK"
cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "packaging license-issuer, notification-service and back-office (tests skipped)..."
  ./mvnw -B -q -pl license-issuer,notification-service,back-office -am package -DskipTests
fi
if [ ! -f "$WORK/cp.txt" ] || [ "$MODULE/pom.xml" -nt "$WORK/cp.txt" ]; then
  ./mvnw -B -q -pl back-office dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
fi
KEYCLOAK_VERSION="$(sed -n 's|.*<keycloak.version>\(.*\)</keycloak.version>.*|\1|p' pom.xml | head -1)"
KEYCLOAK_ZIP="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
WORK="$WORK" exec java -Xmx512m -Dharness.root="$ROOT" -Dharness.mode=embedded -Dkeycloak.dist.zip="$KEYCLOAK_ZIP" \
  -cp "$MODULE/target/test-classes:$MODULE/target/classes:$ROOT/test-support/target/classes:$(cat "$WORK/cp.txt")" org.licensing.backoffice.PageBench
