#!/usr/bin/env bash
# The benchmark harness at small scale, as a check that it works (never a timing assertion): a fresh PostgreSQL
# and the service on free loopback ports, 1,000 employees, every scenario for 1 s at 2 connections, no warm-up. Results
# (results.json, results.md, the service log) go to OUTDIR. Exits non-zero only when something fails: the
# service does not start, a tool errors, or requests fail.
#   bash ops/bench/smoke.sh OUTDIR
set -euo pipefail

out="${1:?usage: smoke.sh OUTDIR}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
data_dir="$out/pg"
rm -rf "$data_dir"

export BENCH_EMPLOYEES="${BENCH_EMPLOYEES:-1000}" BENCH_SECONDS="${BENCH_SECONDS:-1}" BENCH_CONNECTIONS=2
export BENCH_WARMUP_SECONDS=0
export BENCH_LABEL=smoke BENCH_DOC=none BENCH_DATA_DIR="$data_dir"
start=$(date +%s)
bash "$here/run.sh" "$out"
status=0
python3 - "$out/results.json" <<'PY' || status=1
import json, sys
run = json.load(open(sys.argv[1]))
scenarios = run["scenarios"]
bad = {n: e["api"]["errors"] for n, e in scenarios.items() if e["api"]["errors"]}
empty = [n for n, e in scenarios.items() if e["api"]["requests"] == 0 or ("sql" in e and e["sql"]["requests"] == 0)]
print(f"smoke: {len(scenarios)} scenarios, read mix and stampede {'present' if 'read_mix' in run and 'stampede' in run else 'MISSING'}")
if bad or empty or "read_mix" not in run or "stampede" not in run:
    print(f"smoke: failed requests {bad}, scenarios without results {empty}", file=sys.stderr)
    sys.exit(1)
PY
rm -rf "$data_dir"
echo "bench smoke: $(($(date +%s) - start)) s, results in $out"
exit "$status"
