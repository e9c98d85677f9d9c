#!/usr/bin/env bash
# Read-model benchmark of the issuer, one command:  license-issuer/bench/run.sh
#
# Packages the issuer (tests skipped; the OpenAPI lint runs), then runs org.licensing.issuer.bench.SearchBench (test
# classes): it starts DynamoDB and PostgreSQL of the test harness in its own JVM, the packaged issuer as a process
# (profile local), seeds 100,000 license summaries over 2,000 customers straight into PostgreSQL (the million:
# LICENSES=1000000 CUSTOMERS=20000, about 10 minutes of seeding on 2 cores), and prints search p50/p99 of five
# back-office queries at 8 clients beside the same statements run straight on PostgreSQL over JDBC, stats (also
# straight), the search throughput against the same statements on PostgreSQL and against /q/health/live, and the full
# CSV export's time and the issuer's RSS (idle vs peak). Everything it starts stops with it.
#
# Knobs (env): LICENSES (100000) CUSTOMERS (2000) CLIENTS (8) REQUESTS (400) SECONDS (10) ISSUER_JAVA_OPTS
#              SKIP_BUILD=1 (reuse target/quarkus-app and target/test-classes)
set -euo pipefail

. "$(dirname "$0")/lib.sh"
bench_run org.licensing.issuer.bench.SearchBench "$(cd "$(dirname "$0")/.." && pwd)/target/bench"
