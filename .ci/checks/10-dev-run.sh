#!/usr/bin/env bash
# Acceptance of the README's run command: `./mvnw spring-boot:test-run` on embedded defaults serves the docs and
# the employees API with demo data. Runs on free ports the kernel hands out, with a throw-away data directory;
# every wait is bounded and prints the log and the machine's load when it runs out.
set -euo pipefail
cd "$(dirname "$0")/../.."

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
management_port=$(free_port)
data_dir="target/ci-dev-run-data"
log="target/ci-dev-run.log"
# The JVM carries this marker (with this clone's path, so no other checkout's run matches) for the stop below.
marker="-Demployee-mgmt.ci-dev-run=$PWD"
t0=$(date +%s)
# A throw-away administrator password (must not contain the user name "admin").
admin_password="ci-dev-run-$(date +%s)-Pass"
rm -rf "$data_dir"
mkdir -p target

maven_pid=''
stop() {
  pkill -f -- "$marker" 2>/dev/null || true
  # Let the JVM's shutdown hook stop its embedded PostgreSQL before the script returns (bounded: 30 s, then KILL).
  for _ in $(seq 1 30); do
    pgrep -f -- "$marker" >/dev/null || break
    sleep 1
  done
  pkill -KILL -f -- "$marker" 2>/dev/null || true
  if [[ -n "$maven_pid" ]]; then kill "$maven_pid" 2>/dev/null || true; fi
}
trap stop EXIT

EMPLOYEE_MGMT_ADMIN_PASSWORD="$admin_password" ./mvnw -B -q -o spring-boot:test-run \
  -Dspring-boot.run.jvmArguments="$marker -Djava.io.tmpdir=$PWD/target" \
  -Dspring-boot.run.arguments="--server.port=$port --management.server.port=$management_port --employee-mgmt.embedded-postgres.data-dir=$data_dir" \
  >"$log" 2>&1 &
maven_pid=$!

fail() {
  echo "dev-run check failed: $1 (after $(($(date +%s) - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  tail -40 "$log" >&2
  exit 1
}

# Ready within 240 s (a busy 2-core machine), or a diagnosis as soon as Maven has exited.
deadline=$(($(date +%s) + 240))
until curl -fs -m 5 "http://127.0.0.1:$port/api/v1/health/ready" >/dev/null; do
  kill -0 "$maven_pid" 2>/dev/null || fail "./mvnw spring-boot:test-run exited before the service was ready"
  (($(date +%s) < deadline)) || fail "service not ready within 240 s"
  sleep 1
done
docs=$(curl -s -m 30 -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/api/v1/docs")
case "$docs" in
  "302 "*"/api/v1/swagger-ui/index.html") ;;
  *) fail "/api/v1/docs answered '$docs'" ;;
esac
ui=$(curl -s -m 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/swagger-ui/index.html")
[ "$ui" = 200 ] || fail "Swagger UI answered $ui"
anonymous=$(curl -s -m 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/employees?size=1")
[ "$anonymous" = 401 ] || fail "/api/v1/employees without a token answered $anonymous, not 401"
token=$(curl -fs -m 30 -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "http://127.0.0.1:$port/api/v1/auth/login" |
  sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "could not log in as admin"
total=$(curl -fs -m 30 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/employees?size=1&count=true" |
  sed -n 's/.*"totalElements":\([0-9]*\).*/\1/p')
[ "${total:-0}" -gt 500 ] || fail "expected the demo data behind /api/v1/employees, got totalElements=${total:-none}"
metrics=$(curl -fs -m 30 "http://127.0.0.1:$management_port/metrics") || fail "no answer from :$management_port/metrics"
grep -q '^http_server_requests_seconds_count' <<<"$metrics" || fail "no HTTP metrics at :$management_port/metrics"
# The web console: named in the run's last lines, signs in with the sign-in page's CSRF token and shows the demo
# data's directory; the terminal gets plain log lines (JSON is for containers).
grep -q "Web console: http://localhost:$port/console" "$log" || fail "the dev run did not print the console's address"
if grep -q '^{"@timestamp"' "$log"; then fail "the dev run logged JSON lines instead of plain ones"; fi
cookies="target/ci-dev-run-cookies"
rm -f "$cookies"
csrf=$(curl -fs -m 30 -c "$cookies" -b "$cookies" "http://127.0.0.1:$port/console/login" |
  sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$csrf" ] || fail "the console's sign-in page has no CSRF token"
signed_in=$(curl -s -m 30 -c "$cookies" -b "$cookies" -o /dev/null -w '%{http_code} %{redirect_url}' \
  --data-urlencode "username=admin" --data-urlencode "password=$admin_password" --data-urlencode "_csrf=$csrf" \
  "http://127.0.0.1:$port/console/login")
case "$signed_in" in
  "302 "*"/console/employees") ;;
  *) fail "console sign-in answered '$signed_in'" ;;
esac
matches=$(curl -fs -m 30 -b "$cookies" "http://127.0.0.1:$port/console/employees" |
  sed -n 's/.*<span id="total">\([0-9]*\)<\/span>.*/\1/p')
[ "${matches:-0}" -gt 500 ] || fail "the console's directory shows ${matches:-no} employees"
echo "dev run: docs served, $total current employees in the demo data, metrics exported; console signs in and lists $matches"
