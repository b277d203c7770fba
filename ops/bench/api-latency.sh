#!/usr/bin/env bash
# Latency benchmark of a running employee-api (default http://127.0.0.1:8080), for numbers quoted in docs and
# issue notes. Bounded: a fixed number of sequential requests per case, loopback only.
#   1. deep offset page (OFFSET n) vs the same page through a keyset cursor
#   2. analytics: first (uncached) call vs cached calls
# Run it against a large data set, e.g. the dev run started with --employees=300024.
set -euo pipefail

base="${1:-http://127.0.0.1:8080}/api/v1"
runs="${RUNS:-20}"

median_ms() {
  # Prints the median of the request times (seconds on stdin, one per line) in milliseconds.
  sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2) * 1000 }'
}

time_of() {
  curl -fs -o /dev/null -w '%{time_total}\n' "$1"
}

repeat() {
  for _ in $(seq 1 "$runs"); do time_of "$1"; done | median_ms
}

total=$(curl -fs "$base/employees?size=1&count=true" | sed -n 's/.*"totalElements":\([0-9]*\).*/\1/p')
page=$((total * 9 / 200))
offset_ms=$(repeat "$base/employees?size=20&page=$page")
# The cursor after the row at that depth (its format is internal to the service; built here for the benchmark).
last_emp_no=$(curl -fs "$base/employees?size=1&page=$((page * 20 - 1))" | sed -n 's/.*"empNo":\([0-9]*\).*/\1/p')
cursor=$(printf 'empNo:a:%s:%s' "$last_emp_no" "$last_emp_no" | base64 -w0 | tr '+/' '-_' | tr -d '=')
cursor_ms=$(repeat "$base/employees?size=20&cursor=$cursor")
echo "employees page $page of $((total / 20)) (size 20): offset ${offset_ms} ms, cursor ${cursor_ms} ms (median of $runs)"

as_of="2024-0$((RANDOM % 9 + 1))-1$((RANDOM % 9))"
cold=$(time_of "$base/analytics/department-performance?to=$as_of" | median_ms)
warm=$(repeat "$base/analytics/department-performance?to=$as_of")
echo "analytics department-performance (to=$as_of): first call ${cold} ms, cached ${warm} ms (median of $runs)"
