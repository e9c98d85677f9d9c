#!/usr/bin/env bash
# Events benchmark of the issuer, one command:  license-issuer/bench/events.sh     (SMOKE=1: a quick proof it runs)
#
# Packages the issuer (tests skipped), then runs org.licensing.issuer.bench.EventsBench (test classes): the harness'
# DynamoDB and PostgreSQL in its own JVM, the packaged issuer as a process (profile local), a real HTTP receiver on
# 127.0.0.2 (the one range the run allows) behind a webhook endpoint for every event type, and 100 licenses changing
# concurrently (one client each: suspend, reinstate, renew, ROUNDS times). Prints events/s from the first change to
# the last delivery, the delivery lag p50/p99, writes/s with 1 and 8 writers, the outbox trigger's advisory-lock cost
# (audit rows over JDBC, publishing or not, 1 and 8 connections), each as a ratio to GET /q/health/live of the same
# run. Everything it starts stops with it.
#
# Knobs (env): LICENSES (100) ROUNDS (5) SECONDS (10) POLL (200ms: licensing.webhooks.poll-every) BATCH (100)
#              SMOKE=1 (5 licenses, 1 round, 2 s) SKIP_BUILD=1 (reuse target/quarkus-app and target/test-classes)
#              ISSUER_JAVA_OPTS
set -euo pipefail

. "$(dirname "$0")/lib.sh"
bench_run org.licensing.issuer.bench.EventsBench "$(cd "$(dirname "$0")/.." && pwd)/target/bench-events"
