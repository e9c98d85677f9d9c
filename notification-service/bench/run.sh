#!/usr/bin/env bash
# Benchmark of the daily reminder run (not part of `verify`): loads N licenses (default 100000) with expiries
# spread over a year into a fresh dynalite, then times the run and prints the items it read.
# Usage: notification-service/bench/run.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -B -q -pl notification-service test-compile exec:java \
  -Dexec.mainClass=org.licensing.notification.bench.ReminderRunBenchmark \
  -Dexec.classpathScope=test \
  -Dexec.cleanupDaemonThreads=false \
  -Dexec.args="${1:-100000}" \
  -Dharness.root="$root" \
  -Dharness.mode=embedded
