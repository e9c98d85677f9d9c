#!/usr/bin/env bash
# Validator benchmark, one command:  license-validator/bench/run.sh
#
# Starts DynamoDB (dynalite) with test-support's launcher, seeds N licenses through LicenseStore, starts the
# packaged validator (prod profile, a real Ed25519 signing key, rate limits raised), warms it up, then drives
# POST /v1/validate and GET /v1/ping with wrk at the same concurrency and prints validations/s, p50/p99/p999,
# the ratio to ping and the validator's peak RSS. Then it restarts the validator with its default rate limits
# (clients told apart by X-Forwarded-For from a trusted 127.0.0.1) and runs AbuseLoad: 10 rightful clients
# validating while one abusive client sends 10x their total with wrong secrets; prints the rightful clients'
# success rate and p99 alone and under abuse. Everything it starts is stopped on exit.
#
# Knobs (env): LICENSES (100) CONNECTIONS (32) THREADS (2) DURATION (20s) WARMUP (10s) JAVA_OPTS
#              ABUSE_SECONDS (20) RIGHTFUL_RATE (5 requests/s per rightful client)
# SMOKE=1: a short run (a few seconds per phase) that proves the benchmark still works end to end; its figures
#          mean nothing. Exits non-zero when any step fails or a figure is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODULE="$ROOT/license-validator"
WORK="$MODULE/target/bench"
if [ "${SMOKE:-0}" = "1" ]; then
  LICENSES="${LICENSES:-20}" CONNECTIONS="${CONNECTIONS:-4}" DURATION="${DURATION:-2s}" WARMUP="${WARMUP:-1s}"
  ABUSE_SECONDS="${ABUSE_SECONDS:-2}"
fi
LICENSES="${LICENSES:-100}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-10s}"
ABUSE_SECONDS="${ABUSE_SECONDS:-20}"
RIGHTFUL_RATE="${RIGHTFUL_RATE:-5}"
PRODUCT="bench-product"
JAVA_OPTS="${JAVA_OPTS:--Xms64m -Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -Xss512k}"

mkdir -p "$WORK"
rm -f "$WORK"/backends.env "$WORK"/keys.txt

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing wrk (Debian package)..."
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "wrk is missing: install it with 'sudo apt-get install wrk' and run again" >&2
    exit 1
  fi
fi

BACKENDS_PID=""
VALIDATOR_PID=""
cleanup() {
  set +e
  if [ -n "$VALIDATOR_PID" ] && kill -0 "$VALIDATOR_PID" 2>/dev/null; then
    kill "$VALIDATOR_PID"; wait "$VALIDATOR_PID" 2>/dev/null
  fi
  exec 3>&- 2>/dev/null # closing the launcher's stdin stops the back ends
  if [ -n "$BACKENDS_PID" ] && kill -0 "$BACKENDS_PID" 2>/dev/null; then
    sleep 1
    kill "$BACKENDS_PID" 2>/dev/null; wait "$BACKENDS_PID" 2>/dev/null
  fi
  rm -f "$WORK/backends.stdin"
}
trap cleanup EXIT INT TERM

cd "$ROOT"
JAR="$MODULE/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$MODULE/src" "$MODULE/pom.xml" license-core/src license-core/pom.xml \
       license-store/src service-support/src service-support/pom.xml test-support/src test-support/pom.xml \
       -newer "$JAR" -print -quit)" ] \
   || [ ! -d "$MODULE/target/test-classes/org/licensing/validator/bench" ]; then
  # -am: the validator is built against this checkout's modules, never jars another build put in ~/.m2.
  echo "building license-validator and what it uses (tests skipped)..."
  ./mvnw -B -q -pl license-validator -am package -DskipTests
  rm -f "$WORK/test-cp.txt"
fi
# The validator's test class path: test-support (the back-end launcher), the seeding and load classes, and
# BouncyCastle (license-core's signing dependency is optional; service-support brings it, as in the service).
if [ ! -f "$WORK/test-cp.txt" ] || [ -n "$(find "$ROOT/pom.xml" "$MODULE/pom.xml" "$ROOT/test-support/pom.xml" \
       "$ROOT/license-core/pom.xml" "$ROOT/service-support/pom.xml" -newer "$WORK/test-cp.txt" -print -quit)" ]; then
  # In the reactor (-am, test-compile) this checkout's modules resolve to their target/classes; every module
  # writes the file, the validator (built last) last.
  ./mvnw -B -q -pl license-validator -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/test-cp.txt" >/dev/null
fi
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$WORK/test-cp.txt")"

echo "starting DynamoDB (dynalite) via LocalBackendsMain..."
mkfifo "$WORK/backends.stdin"
java -cp "$CP" org.licensing.testsupport.LocalBackendsMain --backends dynamodb --env-file "$WORK/backends.env" \
  --until-stdin-closes < "$WORK/backends.stdin" > "$WORK/backends.log" 2>&1 &
BACKENDS_PID=$!
exec 3>"$WORK/backends.stdin"
for _ in $(seq 1 120); do [ -f "$WORK/backends.env" ] && break; sleep 0.5; done
[ -f "$WORK/backends.env" ] || { echo "back ends did not start; see $WORK/backends.log" >&2; exit 1; }
ENDPOINT="$(grep '^QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE=' "$WORK/backends.env" | cut -d= -f2-)"
TABLE="$(grep '^LICENSING_TABLE=' "$WORK/backends.env" | cut -d= -f2-)"

echo "seeding $LICENSES licenses..."
java -cp "$CP" org.licensing.validator.bench.SeedLicenses \
  "$ENDPOINT" "$TABLE" "$LICENSES" "$WORK/keys.txt" "$PRODUCT"

if [ ! -f "$WORK/receipt-key.pem" ]; then
  openssl genpkey -algorithm ed25519 -out "$WORK/receipt-key.pem" 2>/dev/null
fi
# start_validator <log> [ENV=VALUE...]: the packaged validator on a free port, prod profile, the bench key.
start_validator() {
  local log="$1"; shift
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  echo "starting the validator on port $PORT ($JAVA_OPTS)..."
  (
    set -a; . "$WORK/backends.env"; set +a
    export QUARKUS_HTTP_PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1
    # dynalite crashes when a client aborts a request (ECONNRESET), which a short SDK attempt timeout does on a
    # busy 2-core machine: give the emulator time instead.
    export QUARKUS_DYNAMODB_API_CALL_ATTEMPT_TIMEOUT=10S QUARKUS_DYNAMODB_API_CALL_TIMEOUT=20S
    [ "$#" -gt 0 ] && export "$@"
    # shellcheck disable=SC2086
    exec java $JAVA_OPTS ${EXTRA_JAVA_OPTS:-} -Dlicensing.signing.active-kid=bench \
      -Dlicensing.signing.keys.bench="$WORK/receipt-key.pem" -jar "$JAR"
  ) > "$log" 2>&1 &
  VALIDATOR_PID=$!
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$PORT/v1/ping" >/dev/null 2>&1 && return 0
    kill -0 "$VALIDATOR_PID" 2>/dev/null || { echo "validator exited; see $log" >&2; exit 1; }
    sleep 0.5
  done
  echo "validator not up; see $log" >&2; exit 1
}
stop_validator() {
  kill "$VALIDATOR_PID" 2>/dev/null || true
  wait "$VALIDATOR_PID" 2>/dev/null || true
  VALIDATOR_PID=""
}

# Throughput: rate limits raised (wrk's few connections are one client address).
start_validator "$WORK/validator.log" \
  LICENSING_VALIDATOR_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 LICENSING_VALIDATOR_RATE_LIMIT_PER_KEY_BURST=1000000 \
  LICENSING_VALIDATOR_RATE_LIMIT_PER_CLIENT_PER_SECOND=1000000 LICENSING_VALIDATOR_RATE_LIMIT_PER_CLIENT_BURST=1000000
FIRST_KEY="$(head -1 "$WORK/keys.txt")"
CHECK="$(curl -fs -H 'Content-Type: application/json' \
  -d "{\"key\":\"$FIRST_KEY\",\"productCode\":\"$PRODUCT\",\"nonce\":\"check\"}" "http://127.0.0.1:$PORT/v1/validate")"
echo "$CHECK" | grep -q '"code":"VALID"' || { echo "sanity check failed: $CHECK" >&2; exit 1; }

echo "measuring the cost of one receipt signature (Ed25519, ReceiptSigner)..."
SIGN_US="$(java -cp "$CP" org.licensing.validator.bench.SignCost | grep '^SIGN_US=' | cut -d= -f2)"
[ -n "$SIGN_US" ] || { echo "SignCost printed no figure" >&2; exit 1; }

export KEYS_FILE="$WORK/keys.txt" PRODUCT
echo "warming up ($WARMUP each)..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$MODULE/bench/validate.lua" "http://127.0.0.1:$PORT" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$MODULE/bench/ping.lua" "http://127.0.0.1:$PORT/v1/ping" >/dev/null

echo "measuring ping ($DURATION, $CONNECTIONS connections, $THREADS wrk threads)..."
PING="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$MODULE/bench/ping.lua" "http://127.0.0.1:$PORT/v1/ping" | grep '^RESULT')"
echo "measuring validate ($DURATION, $CONNECTIONS connections, $THREADS wrk threads, $LICENSES keys)..."
VAL="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$MODULE/bench/validate.lua" "http://127.0.0.1:$PORT" | grep '^RESULT')"

field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
HWM_KB="$(grep VmHWM "/proc/$VALIDATOR_PID/status" | awk '{print $2}')"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$PING" "$VAL" "$HWM_KB" "$CONNECTIONS" "$LICENSES" "$DURATION" "$SIGN_US" "$LOAD" "$(nproc)" <<'PY'
import sys
def parse(line):
    return {k: int(v) for k, v in (p.split("=") for p in line.split()[1:])}
ping, val, hwm_kb, conns, lic, dur = parse(sys.argv[1]), parse(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
sign_us, load, cores = float(sys.argv[7]), sys.argv[8], int(sys.argv[9])
rate = lambda r: r["requests"] / (r["duration_us"] / 1e6)
pr, vr = rate(ping), rate(val)
ms = lambda us: us / 1000.0
print()
print(f"license-validator benchmark: {conns} connections, {dur} per endpoint, {lic} licenses, cache TTL 5 s")
print(f"  ping        : {pr:10.0f} req/s   p50 {ms(ping['p50_us']):6.2f} ms  p99 {ms(ping['p99_us']):6.2f} ms  p999 {ms(ping['p999_us']):6.2f} ms  non-2xx {ping['non2xx']} errors {ping['errors']}")
print(f"  validations : {vr:10.0f} req/s   p50 {ms(val['p50_us']):6.2f} ms  p99 {ms(val['p99_us']):6.2f} ms  p999 {ms(val['p999_us']):6.2f} ms  non-2xx {val['non2xx']} errors {val['errors']}")
print(f"  ratio validations/ping: {vr / pr:.2f}   (target >= 0.60)")
print(f"  validate p99: {ms(val['p99_us']):.2f} ms   (target < 10 ms)")
print(f"  validator peak RSS (VmHWM): {hwm_kb / 1024:.0f} MiB   (target < 300 MiB)")
print(f"  one receipt signature: {sign_us:.0f} us single-threaded -> at most {cores * 1e6 / sign_us:.0f} signed answers/s on {cores} cores")
print(f"  load average during the run: {load}")
PY

# Abuse: the validator as deployed (default rate limits), clients told apart by X-Forwarded-For from a trusted
# proxy (127.0.0.1 plays the load balancer). 10 rightful clients, one abusive client at 10x their total.
stop_validator
start_validator "$WORK/validator-abuse.log" LICENSING_VALIDATOR_RATE_LIMIT_TRUSTED_PROXIES=127.0.0.1
echo "abuse: 10 rightful clients at $RIGHTFUL_RATE req/s each, one abusive client at 10x their total (${ABUSE_SECONDS}s per phase)..."
ABUSE="$(java -cp "$CP" org.licensing.validator.bench.AbuseLoad "http://127.0.0.1:$PORT" "$WORK/keys.txt" "$PRODUCT" \
  "$ABUSE_SECONDS" "$RIGHTFUL_RATE")"
echo "$ABUSE" | grep -v '^RESULT'
echo "$ABUSE" | grep -q '^RESULT rightful_success_alone=' || { echo "AbuseLoad printed no figures" >&2; exit 1; }
echo "  load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
