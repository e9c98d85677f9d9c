#!/usr/bin/env bash
# Runs the whole system on this machine with embedded back ends (no Docker, no AWS account):
# builds what is missing, starts dynalite, ElasticMQ, aws-ses-v2-local, embedded PostgreSQL and the three
# services, seeds a demo license and prints what to try. Ctrl-C stops every process it started.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "Node.js 20+ is required (the local DynamoDB and SES emulators run on it)" >&2; exit 1; }
echo "Building (skip with SKIP_BUILD=1)..."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q install -DskipTests -pl e2e -am
fi
exec ./mvnw -B -q -pl e2e exec:java
