#!/usr/bin/env bash
# Start -> ready of the service on a populated database, three ways: the fat jar, the extracted jar
# (java -Djarmode=tools extract), and the extracted jar with a JDK 25 AOT cache (trained once with
# -XX:AOTCacheOutput and spring.context.exit=onRefresh, without a database, as the image build does). Every JVM,
# the training included, runs with the image's flags (deploy/jvm.options, MALLOC_ARENA_MAX=2) and its 512 MiB
# limit emulated (-XX:MaxRAM=512m -XX:MaxRAMPercentage=60). Prints one line per start (wall seconds to ready, CPU
# seconds of the JVM until then) and the median of each way. Bounded: RUNS starts of each (default 2), 300 s each.
#   ops/bench/startup.sh [OUTDIR]    (BENCH_DATA_DIR, BENCH_JAR, BENCH_JAVA_OPTS as for run.sh)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=ops/bench/lib.sh
source "$here/lib.sh"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
runs="${RUNS:-2}"
out="${1:-$repo/target/bench/startup}"
data_dir="${BENCH_DATA_DIR:-$repo/target/bench/pg-300024}"
jar="${BENCH_JAR:-$(printf '%s\n' "$repo"/target/employee-api-*.jar | grep -v plain | head -1)}"
export BENCH_ADMIN_PASSWORD="${BENCH_ADMIN_PASSWORD:-Bench-secret-pw-2026}"
mkdir -p "$out"
export MALLOC_ARENA_MAX=2
image_flags=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=60 "@$repo/deploy/jvm.options")
app_pid=""
cleanup() {
  stop_pid "$app_pid"
  pg_stop "$data_dir"
}
trap cleanup EXIT

rm -rf "$out/extracted"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$out/extracted" >/dev/null
log "training the AOT cache (no database, like the image build)"
(cd "$out" && SPRING_FLYWAY_ENABLED=false SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:1/none \
  timeout 300 "$java" "${image_flags[@]}" -XX:AOTCacheOutput="$out/app.aot" -Dspring.context.exit=onRefresh \
  -jar "$out/extracted/$(basename "$jar")" >"$out/training.log" 2>&1) || {
  echo "AOT training failed; see $out/training.log" >&2
  exit 1
}
ls -la "$out/app.aot" >&2

db_port="$(free_port)"
pg_start "$data_dir" "$db_port"
declare -A times
for way in fat-jar extracted extracted+aot; do
  for run in $(seq 1 "$runs"); do
    port="$(free_port)"
    mgmt="$(free_port)"
    case "$way" in
      fat-jar) target="$jar"; extra=() ;;
      extracted) target="$out/extracted/$(basename "$jar")"; extra=() ;;
      extracted+aot) target="$out/extracted/$(basename "$jar")"; extra=(-XX:AOTCache="$out/app.aot") ;;
    esac
    started=$(date +%s.%N)
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
    app_pid="$(app_start "$target" "$port" "$mgmt" "$db_port" 300024 "$out/$way-$run.log" "${image_flags[@]}" \
      "${extra[@]}" ${BENCH_JAVA_OPTS:-})"
    wait_ready "$app_pid" "http://127.0.0.1:$port/api/v1/health/ready" 300
    seconds="$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    # utime + stime (fields 14 and 15 of /proc/PID/stat): CPU is less sensitive than wall time to a shared machine.
    cpu="$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$app_pid/stat")"
    log "$way run $run: ready after $seconds s, $cpu s CPU (load $(cut -d' ' -f1 /proc/loadavg))"
    times[$way]="${times[$way]:-} $seconds"
    stop_pid "$app_pid"
    app_pid=""
  done
done
for way in fat-jar extracted extracted+aot; do
  # shellcheck disable=SC2086 # word splitting of the collected times is intended
  echo "$way: start -> ready median $(printf '%s\n' ${times[$way]} | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }') s (runs:${times[$way]})"
done | tee "$out/startup.txt"
