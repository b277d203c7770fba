#!/usr/bin/env bash
# The benchmark harness (docs/performance.md says how to read it). Starts a private PostgreSQL (Debian server
# binaries) and the service jar on free loopback ports, fills the database with the demo data set on first use
# (kept in BENCH_DATA_DIR for the next run), logs in as the bootstrap administrator, reads the data set into the
# page cache and runs every scenario of bench.py: wrk against the API, then pgbench with the same SQL at the same concurrency. Stops both by PID.
#
#   ops/bench/run.sh [OUTDIR]        results.json + results.md in OUTDIR (default target/bench/<UTC time>)
#
# Environment: BENCH_EMPLOYEES (300024), BENCH_SECONDS per run (10), BENCH_CONNECTIONS (8), BENCH_LABEL (run),
# BENCH_WARMUP_SECONDS before each scenario (2), BENCH_SQL_DIR (the pgbench scripts, ops/bench/sql), BENCH_ONLY (comma-separated scenario names), BENCH_JAR (target/employee-api-*.jar, built when missing),
# BENCH_DATA_DIR (target/bench/pg-<employees>), BENCH_DOC (docs/performance.md: the dated table is appended
# there; "none" leaves it alone), BENCH_JAVA_OPTS (extra JVM flags for the service).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=ops/bench/lib.sh
source "$here/lib.sh"

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
employees="${BENCH_EMPLOYEES:-300024}"
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-8}"
label="${BENCH_LABEL:-run}"
out="${1:-$repo/target/bench/$(date -u +%Y%m%dT%H%M%S)}"
data_dir="${BENCH_DATA_DIR:-$repo/target/bench/pg-$employees}"
doc="${BENCH_DOC:-$repo/docs/performance.md}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

for tool in wrk pgbench psql python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk postgresql-contrib)" >&2; exit 1; }
done

find_jar() {
  local candidate
  for candidate in "$repo"/target/employee-api-*.jar; do
    case "$candidate" in *plain*) ;; *) [ -f "$candidate" ] && echo "$candidate" && return ;; esac
  done
  # No jar yet is not an error: the caller builds it (under set -e a failing status here ended the script silently).
  return 0
}
jar="${BENCH_JAR:-$(find_jar)}"
if [ -z "$jar" ]; then
  log "building the jar"
  (cd "$repo" && ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true)
  jar="$(find_jar)"
fi

app_pid=""
cleanup() {
  stop_pid "$app_pid"
  pg_stop "$data_dir"
}
trap cleanup EXIT

export BENCH_ADMIN_PASSWORD="${BENCH_ADMIN_PASSWORD:-Bench-secret-pw-2026}"
db_port="$(free_port)"
port="$(free_port)"
mgmt_port="$(free_port)"
log "PostgreSQL on 127.0.0.1:$db_port ($data_dir)"
pg_start "$data_dir" "$db_port"
grep -q pg_stat_statements "$data_dir/postgresql.conf" || {
  echo "shared_preload_libraries = 'pg_stat_statements'" >>"$data_dir/postgresql.conf"
  pg_stop "$data_dir"
  pg_start "$data_dir" "$db_port"
}
psql_db() { psql -h 127.0.0.1 -p "$db_port" -U postgres -d employees -Atqc "$1"; }
psql_db 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null
populated="$(psql_db "SELECT to_regclass('employees') IS NOT NULL AND EXISTS (SELECT 1 FROM employees)" 2>/dev/null || echo f)"

log "service $(basename "$jar") on 127.0.0.1:$port (management $mgmt_port), $employees employees"
started=$(date +%s.%N)
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
app_pid="$(EMPLOYEE_MGMT_SECURITY_JWT_ACCESS_TOKEN_TTL=3h app_start "$jar" "$port" "$mgmt_port" "$db_port" \
  "$employees" "$out/service.log" ${BENCH_JAVA_OPTS:-})"
if ! wait_ready "$app_pid" "http://127.0.0.1:$port/api/v1/health/ready" 900; then
  echo "the service did not become ready; last log lines:" >&2
  tail -5 "$out/service.log" >&2
  exit 1
fi
ready_s="$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
if [ "$populated" = t ]; then
  startup_args=(--startup-seconds "$ready_s")
  log "ready after ${ready_s} s (populated database)"
else
  startup_args=()
  log "ready after ${ready_s} s (including generating the data set)"
fi

token="$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$BENCH_ADMIN_PASSWORD\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])')"
psql_db 'SELECT pg_stat_statements_reset()' >/dev/null
psql_db 'ANALYZE' >/dev/null
# Every table and index read once, so the OS page cache holds the data set: without it the first random point reads
# wait on the disk (after other work had evicted the files, a point read's p95 was 707 ms at load 3 and pgbench's
# throughput a third of the run before), and the run measures the disk instead of the service.
log "reading the data set into the page cache"
psql_db 'CREATE EXTENSION IF NOT EXISTS pg_prewarm' >/dev/null
psql_db "SELECT pg_size_pretty(8192 * sum(pg_prewarm(c.oid, 'read'))) FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm')" \
  | sed 's/^/  read /' >&2

python3 "$here/bench.py" --base-url "http://127.0.0.1:$port" --metrics-url "http://127.0.0.1:$mgmt_port/metrics" \
  --token "$token" --jvm-pid "$app_pid" --postmaster-pid "$(pg_postmaster_pid "$data_dir")" --db-port "$db_port" \
  --employees "$employees" --connections "$connections" --seconds "$seconds" --label "$label" \
  --sql-dir "${BENCH_SQL_DIR:-$here/sql}" --warmup-seconds "${BENCH_WARMUP_SECONDS:-2}" --only "${BENCH_ONLY:-}" --out "$out" "${startup_args[@]}"

rss_kib="$(awk '/VmHWM/ { print $2 }' "/proc/$app_pid/status")"
echo "Peak RSS of the service (VmHWM): $((rss_kib / 1024)) MiB." | tee -a "$out/results.md"
python3 - "$out/results.json" "$rss_kib" <<'PY'
import json, sys
path, rss = sys.argv[1], int(sys.argv[2])
data = json.load(open(path))
data["peak_rss_mib"] = rss // 1024
json.dump(data, open(path, "w"), indent=1)
PY

if [ "$doc" != none ]; then
  { echo; cat "$out/results.md"; } >>"$doc"
  log "appended the table to $doc"
fi
log "results in $out"
