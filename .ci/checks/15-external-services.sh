#!/usr/bin/env bash
# The test suite against external servers, as test.yml runs it with postgres:16 / redis:7 service containers:
# starts a PostgreSQL server (Debian's, password auth) and a redis-server on free ports, runs a subset of the
# integration tests with the EMPLOYEE_MGMT_TEST_* variables pointing at them, and proves they were used
# (ExternalServicesTest asks each server who it is; no embedded server started; the data landed in the external one).
# Stops both by PID. Time budget 120 s (reported; on a quiet machine it takes about a minute); the test run is
# killed after 300 s so that a hang fails with a diagnosis instead of blocking CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
budget=120
hard_limit=300
started=$(date +%s)

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"

pg_major="${PG_MAJOR:-15}"
pg_bin="/usr/lib/postgresql/$pg_major/bin"
missing=()
[ -x "$pg_bin/initdb" ] || missing+=("postgresql-$pg_major")
command -v redis-server >/dev/null || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
pg_port=$(free_port)
redis_port=$(free_port)
work=$(mktemp -d /tmp/employee-mgmt-external.XXXXXX)
pg_pid=""
redis_pid=""

# PostgreSQL refuses to run as root: run it as the postgres user (created by the Debian package) when we are root.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)
  chown postgres: "$work"
fi

cleanup() {
  for pid in $pg_pid $redis_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $pg_pid $redis_pid; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for log in "$work/postgres.log" "$work/redis.log"; do
    [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; }
  done
  exit 1
}

# A password chosen per run: the test support must pass username and password through, not rely on trust auth.
password="ci-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" >"$work/pwfile"
chmod 600 "$work/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/pwfile"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres -E UTF8 --auth=scram-sha-256 --pwfile="$work/pwfile" \
  --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; fail "initdb"; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -t 30 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work -c fsync=off -c max_connections=200" start >/dev/null \
  || fail "PostgreSQL did not start on 127.0.0.1:$pg_port within 30 s"
pg_pid=$(head -1 "$work/data/postmaster.pid")
PGPASSWORD="$password" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qAt \
  -c "CREATE DATABASE employee_mgmt_ci" >/dev/null || fail "create database"
pg_version=$(PGPASSWORD="$password" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d employee_mgmt_ci -qAt \
  -c "SHOW server_version")
echo "PostgreSQL $pg_version: pid $pg_pid, 127.0.0.1:$pg_port"

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 60); do
  [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
  kill -0 "$redis_pid" 2>/dev/null || fail "redis-server exited"
  sleep 0.5
done
[ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ] || fail "Redis did not answer within 30 s"
echo "Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'): pid $redis_pid, 127.0.0.1:$redis_port"

# One application context (the @IntegrationTest one): Flyway and the demo-data load on the external database, cached
# reads in the external Redis invalidated by a committed write, and each server's identity.
tests=ExternalServicesTest,CachingTest
for test in ${tests//,/ }; do rm -f target/surefire-reports/*."$test"[.-]*; done
export EMPLOYEE_MGMT_TEST_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg_port/employee_mgmt_ci"
export EMPLOYEE_MGMT_TEST_DATASOURCE_USERNAME=postgres
export EMPLOYEE_MGMT_TEST_DATASOURCE_PASSWORD="$password"
export EMPLOYEE_MGMT_TEST_REDIS_HOST=127.0.0.1
export EMPLOYEE_MGMT_TEST_REDIS_PORT="$redis_port"
maven_started=$(date +%s)
# verify has built and checked everything already: no formatter, coverage agent or SBOM here; C1 only, since a
# short run gains nothing from the optimising compiler.
rc=0
timeout --kill-after=10 "$hard_limit" ./mvnw -B -q -Dspotless.check.skip=true -Djacoco.skip=true -Dcyclonedx.skip=true \
  "-DargLine=-XX:TieredStopAtLevel=1" -Dsurefire.failIfNoSpecifiedTests=false "-Dtest=$tests" test \
  </dev/null >"$work/maven.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
  tail -40 "$work/maven.log"
  fail "tests against the external servers: exit $rc (124 = killed after ${hard_limit} s)"
fi

echo "tests: $(($(date +%s) - maven_started)) s"
report="$root/target/surefire-reports/TEST-io.employeemgmt.support.ExternalServicesTest.xml"
[ -f "$report" ] || fail "no report of ExternalServicesTest"
grep -q 'tests="2" errors="0" skipped="0" failures="0"' "$report" \
  || fail "ExternalServicesTest did not run both checks: $(grep -o '<testsuite [^>]*' "$report")"
# The console output of this run's test classes only (the reports directory also holds verify's).
outputs=()
for test in ${tests//,/ }; do
  for file in "$root"/target/surefire-reports/*."$test"-output.txt; do
    [ -f "$file" ] && outputs+=("$file")
  done
done
[ "${#outputs[@]}" -gt 0 ] || fail "no console output of $tests"
grep -qh "External PostgreSQL from EMPLOYEE_MGMT_TEST_DATASOURCE_URL" "${outputs[@]}" \
  || fail "the test support did not report the external PostgreSQL"
grep -qh "External Redis from EMPLOYEE_MGMT_TEST_REDIS_HOST" "${outputs[@]}" \
  || fail "the test support did not report the external Redis"
if grep -qh "Embedded PostgreSQL .* started\|Embedded Redis started" "${outputs[@]}"; then
  fail "an embedded server was started although external ones were configured"
fi
employees=$(PGPASSWORD="$password" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d employee_mgmt_ci -qAt \
  -c "SELECT count(*) FROM employees")
[ "$employees" -gt 0 ] || fail "no employees in the external database"
commands=$(redis-cli -h 127.0.0.1 -p "$redis_port" info stats | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p')
[ "$commands" -gt 10 ] || fail "the external Redis saw only $commands commands"
echo "PASS: $tests against external PostgreSQL $pg_version and Redis: $employees employees in the external" \
  "database, $commands commands on the external Redis"
elapsed=$(($(date +%s) - started))
if [ "$elapsed" -gt "$budget" ]; then
  echo "WARN: 15-external-services took ${elapsed} s, over its ${budget} s budget (load: $(cut -d' ' -f1-3 /proc/loadavg))"
else
  echo "15-external-services: ${elapsed} s (budget ${budget} s)"
fi
