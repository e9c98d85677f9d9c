#!/usr/bin/env bash
# Relay benchmark, one command:  license-relay/bench/run.sh        (smoke:  DURATION=2 WARMUP=1 license-relay/bench/run.sh)
#
# Starts the packaged relay on a fresh data directory (target/bench) with a test vendor's checkout, then drives, with
# THREADS closed-loop HTTP/1.1 clients for DURATION seconds each: GET /v1/ping (the relay's trivial endpoint, the
# baseline), POST /v1/leases (a new node each: pool check, signed log record fsynced, signed lease), PUT
# /v1/leases/{id} (heartbeats), ping again. Prints req/s, p50/p99 per phase and leases/s and heartbeats/s as a
# ratio to ping measured in the same run. The relay it starts is stopped on exit.
#
# Knobs (env): THREADS (8) DURATION (10) WARMUP (3)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODULE="$ROOT/license-relay"
cd "$ROOT"
JAR="$MODULE/target/quarkus-app/quarkus-run.jar"
CP_FILE="$MODULE/target/bench-classpath.txt"
if [ ! -f "$JAR" ] || [ ! -f "$CP_FILE" ] \
   || [ ! -f "$MODULE/target/test-classes/org/licensing/relay/bench/RelayBench.class" ] \
   || [ -n "$(find "$MODULE/src" "$MODULE/pom.xml" license-core/src license-client/src -newer "$JAR" -print -quit)" ]; then
  echo "packaging license-relay and what it uses (tests skipped)..."
  # In one reactor run, so the class path names the modules' own jars under target/ (nothing is installed in ~/.m2).
  ./mvnw -B -q -pl license-relay -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP_FILE" >/dev/null
fi
cd "$MODULE"
exec java -Xmx256m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" org.licensing.relay.bench.RelayBench
