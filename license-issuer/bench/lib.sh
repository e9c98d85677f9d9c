# Sourced by the benchmark scripts: bench_run CLASS WORKDIR packages the issuer with the modules it uses (tests
# skipped; SKIP_BUILD=1 reuses target/quarkus-app and target/test-classes), builds the test classpath once, and runs
# CLASS (test classes) with the packaged jar and WORKDIR as its arguments.
bench_run() {
  local class="$1" work="$2"
  local root module
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  module="$root/license-issuer"
  mkdir -p "$work"
  cd "$root"
  if [ -z "${SKIP_BUILD:-}" ]; then
    echo "packaging license-issuer (tests skipped)..."
    ./mvnw -B -q -o -pl license-issuer -am package -DskipTests -Dbench.smoke.skip
  fi
  if [ ! -f "$work/cp.txt" ] || [ "$module/pom.xml" -nt "$work/cp.txt" ]; then
    ./mvnw -B -q -o -pl license-issuer dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$work/cp.txt" >/dev/null
  fi
  exec java -Xmx512m -Dharness.root="$root" \
    -cp "$module/target/test-classes:$module/target/classes:$(cat "$work/cp.txt")" "$class" \
    "$module/target/quarkus-app/quarkus-run.jar" "$work"
}
