#!/usr/bin/env bash
# Acceptance of the README's run command: `./mvnw spring-boot:test-run` on embedded defaults serves the docs and
# the employees API with demo data. Runs on spare ports with a throw-away data directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

port=18480
management_port=18481
data_dir="target/ci-dev-run-data"
log="target/ci-dev-run.log"
marker="employee-mgmt.ci-dev-run"
# A throw-away administrator password (must not contain the user name "admin").
admin_password="ci-dev-run-$(date +%s)-Pass"
rm -rf "$data_dir"
mkdir -p target

stop() {
  pkill -f "$marker" 2>/dev/null || true
  # Let the JVM's shutdown hook stop its embedded PostgreSQL before the script returns.
  for _ in $(seq 1 30); do
    pgrep -f "$marker" >/dev/null || break
    sleep 1
  done
}
trap stop EXIT

EMPLOYEE_MGMT_ADMIN_PASSWORD="$admin_password" ./mvnw -B -q -o spring-boot:test-run \
  -Dspring-boot.run.jvmArguments="-D$marker -Djava.io.tmpdir=$PWD/target" \
  -Dspring-boot.run.arguments="--server.port=$port --management.server.port=$management_port --employee-mgmt.embedded-postgres.data-dir=$data_dir" \
  >"$log" 2>&1 &

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$port/api/v1/health/ready" >/dev/null; then
    break
  fi
  sleep 1
done

fail() {
  echo "dev-run check failed: $1" >&2
  tail -40 "$log" >&2
  exit 1
}

curl -fs "http://127.0.0.1:$port/api/v1/health/ready" >/dev/null || fail "service not ready within 120 s"
docs=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/api/v1/docs")
case "$docs" in
  "302 "*"/api/v1/swagger-ui/index.html") ;;
  *) fail "/api/v1/docs answered '$docs'" ;;
esac
ui=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/swagger-ui/index.html")
[ "$ui" = 200 ] || fail "Swagger UI answered $ui"
anonymous=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/employees?size=1")
[ "$anonymous" = 401 ] || fail "/api/v1/employees without a token answered $anonymous, not 401"
token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "http://127.0.0.1:$port/api/v1/auth/login" |
  sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "could not log in as admin"
total=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/employees?size=1" |
  sed -n 's/.*"totalElements":\([0-9]*\).*/\1/p')
[ "${total:-0}" -gt 500 ] || fail "expected the demo data behind /api/v1/employees, got totalElements=${total:-none}"
metrics=$(curl -fs "http://127.0.0.1:$management_port/metrics") || fail "no answer from :$management_port/metrics"
grep -q '^http_server_requests_seconds_count' <<<"$metrics" || fail "no HTTP metrics at :$management_port/metrics"
echo "dev run: docs served, $total current employees in the demo data, metrics exported"
