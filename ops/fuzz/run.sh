#!/usr/bin/env bash
# OpenAPI fuzzing of the running service: starts it (./mvnw spring-boot:test-run: embedded PostgreSQL with the demo
# data, on free ports, throw-away data directory), logs in as the administrator, runs schemathesis against every
# operation of the published document (positive and negative data) with the checks below, then the raw-HTTP cases
# of raw_cases.py, and stops what it started by PID. Zero failures or exit 1.
#
#   ops/fuzz/run.sh                       # bounded run (CI): FUZZ_MAX_EXAMPLES=25, FUZZ_MAX_TIME=60 s
#   FUZZ_MAX_EXAMPLES=300 FUZZ_MAX_TIME=1800 ops/fuzz/run.sh   # the longer run (docs/operations/resilience.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"

max_examples=${FUZZ_MAX_EXAMPLES:-25}
max_time=${FUZZ_MAX_TIME:-60}
out="$root/target/fuzz"
venv="$root/target/fuzz-venv"
data_dir="$out/data"
log="$out/service.log"
# A JVM argument naming this checkout: the one way to find (and stop) exactly the service started here.
marker="employee-mgmt.fuzz-run=$root"
admin_password="fuzz-$(date +%s)-Pass-$RANDOM"

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port=$(free_port)
management_port=$(free_port)

rm -rf "$out"
mkdir -p "$out"

# Python 3.11's compiler trips over hypothesis' lambda introspection in schemathesis' coverage phase ("AST
# constructor recursion depth mismatch"): take a newer interpreter when there is one.
python=python3
pyenv_root=$(pyenv root 2>/dev/null || true)
for candidate in python3.13 python3.12 ${pyenv_root:+"$pyenv_root"/versions/3.1[2-9]*/bin/python3}; do
  if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ ! -x "$venv/bin/st" ] || ! "$venv/bin/st" --version 2>/dev/null | grep -q "4.32.5" ||
  [ "$("$venv/bin/python" -c 'import sys;print(sys.version_info >= (3, 12))')" != "$("$python" -c 'import sys;print(sys.version_info >= (3, 12))')" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q -r ops/fuzz/requirements.txt
fi

maven_pid=""
stop() {
  local app
  app=$(pgrep -f -- "-D$marker" || true)
  for pid in $app; do kill "$pid" 2>/dev/null || true; done
  # The service's shutdown hook stops its embedded PostgreSQL; give it the time to.
  for _ in $(seq 1 30); do
    pgrep -f -- "-D$marker" >/dev/null || break
    sleep 1
  done
  if [ -n "$maven_pid" ]; then kill "$maven_pid" 2>/dev/null || true; fi
}
trap stop EXIT

EMPLOYEE_MGMT_ADMIN_PASSWORD="$admin_password" ./mvnw -B -q -o spring-boot:test-run \
  -Dspring-boot.run.jvmArguments="-D$marker -Djava.io.tmpdir=$out" \
  -Dspring-boot.run.arguments="--server.port=$port --management.server.port=$management_port --employee-mgmt.embedded-postgres.data-dir=$data_dir" \
  >"$log" 2>&1 &
maven_pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 180); do
  curl -fs "$base/api/v1/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "$base/api/v1/health/ready" >/dev/null || { tail -40 "$log" >&2; echo "service not ready" >&2; exit 1; }

token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$base/api/v1/auth/login" |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["accessToken"])')

curl -fs "$base/api/v1/openapi.json" -o "$out/openapi.json"

# A second administrator for the raw cases: the fuzzer may lock out, disable or re-role accounts it can reach
# (it is allowed to), and the raw cases need a working token afterwards.
raw_user="raw-cases-$RANDOM"
raw_password="Raw-$(date +%s)-Pass-$RANDOM"
curl -fs -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$raw_user\",\"email\":\"$raw_user@example.test\",\"password\":\"$raw_password\",\"roles\":[\"ADMIN\"]}" \
  "$base/api/v1/users"

start=$(date +%s)
set +e
# Logout would revoke the fuzzer's own token; everything else is fuzzed.
"$venv/bin/st" run "$out/openapi.json" --url "$base" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --mode all --phases examples,coverage,fuzzing \
  --max-examples "$max_examples" --max-time "$max_time" --seed 20261201 \
  --exclude-path /api/v1/auth/logout \
  --request-timeout 10 --max-response-time 5 --workers 2 \
  --suppress-health-check all --warnings off \
  --report junit,ndjson --report-dir "$out" >"$out/schemathesis.txt" 2>&1
fuzz_status=$?
set -e
tail -30 "$out/schemathesis.txt"
generated=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$out/schemathesis.txt" | tail -1)
echo "schemathesis: exit $fuzz_status, ${generated:-?} test cases, $(( $(date +%s) - start )) s (report: $out/schemathesis.txt)"

raw_token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"$raw_user\",\"password\":\"$raw_password\"}" "$base/api/v1/auth/login" |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["accessToken"])')
python3 ops/fuzz/raw_cases.py "$port" "$raw_token" | tee "$out/raw-cases.txt"
raw_status=${PIPESTATUS[0]}

echo "fuzz: schemathesis exit $fuzz_status (${generated:-?} test cases), raw cases exit $raw_status"
[ "$fuzz_status" = 0 ] && [ "$raw_status" = 0 ]
