#!/usr/bin/env bash
# Staging validation after a deploy (deploy-staging.yml), also runnable against any employee-api:
#
#   deploy/staging-checks.sh BASE_URL                 e.g. http://127.0.0.1:8080
#   deploy/staging-checks.sh --port-forward NAMESPACE  through `kubectl port-forward svc/employee-api` on a free
#                                                      port (the Ingress allows one client 100 requests/min)
# 1. Black-box API suite: schemathesis (pinned below) generates requests for every GET operation of the service's
#    own OpenAPI document (/api/v1/openapi.json) and checks that none answers 5xx and every answer matches the
#    documented status codes, content types and schemas. Reads only: staging data is not changed.
# 2. Performance validation: bounded load (hey) on three read endpoints; fails when p95 >= 1 s or more than 5 % of
#    the requests fail - the HighResponseTime and HighErrorRate alert thresholds (monitoring/prometheus/rules).
# Credentials: SMOKE_USERNAME / SMOKE_PASSWORD. Tunables: CHECKS_MAX_EXAMPLES (10), PERF_SECONDS per endpoint (10),
# PERF_CONCURRENCY (4). Results go to stdout and to $GITHUB_STEP_SUMMARY when set. Exit 1 on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SCHEMATHESIS_VERSION=4.32.5
KUBECTL=${KUBECTL:-kubectl}
max_examples=${CHECKS_MAX_EXAMPLES:-10}
perf_seconds=${PERF_SECONDS:-10}
concurrency=${PERF_CONCURRENCY:-4}
pf_pid=""
trap '[[ -n "$pf_pid" ]] && kill "$pf_pid" 2>/dev/null; true' EXIT
summary() { if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"; fi; }

if [[ "${1:-}" == --port-forward ]]; then
  ns=${2:?usage: deploy/staging-checks.sh --port-forward NAMESPACE}
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$KUBECTL" -n "$ns" port-forward svc/employee-api "$port:80" >/dev/null &
  pf_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 30); do curl -fs -o /dev/null "$base/api/v1/health/ready" && break; sleep 1; done
else
  base=${1:?usage: deploy/staging-checks.sh BASE_URL | --port-forward NAMESPACE}
fi
base=${base%/}
: "${SMOKE_USERNAME:?SMOKE_USERNAME is required}" "${SMOKE_PASSWORD:?SMOKE_PASSWORD is required}"
token=$(curl -fsS --max-time 20 -H 'Content-Type: application/json' \
  -d "{\"username\":\"$SMOKE_USERNAME\",\"password\":\"$SMOKE_PASSWORD\"}" "$base/api/v1/auth/login" |
  sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
[[ -n "$token" ]] || { echo "staging-checks: login failed at $base" >&2; exit 1; }

# Tools: schemathesis in a venv under target/ (pinned), hey from the distribution.
venv="$root/target/venv-schemathesis"
if [[ ! -x "$venv/bin/st" ]] || ! "$venv/bin/pip" show schemathesis 2>/dev/null | grep -qx "Version: $SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
command -v hey >/dev/null || { sudo -n apt-get install -y -qq hey >/dev/null 2>&1 || apt-get install -y -qq hey >/dev/null; }

failed=0
echo "== black-box API suite (schemathesis $SCHEMATHESIS_VERSION, GET operations, $max_examples examples each)"
if "$venv/bin/st" run "$base/api/v1/openapi.json" --url "$base" -H "Authorization: Bearer $token" \
  --include-method GET --max-examples "$max_examples" --workers 2 --request-timeout 20 \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --generation-deterministic >"$root/target/staging-checks-schemathesis.txt" 2>&1; then
  result="passed"
else
  result="FAILED"
  failed=1
fi
tail -n 25 "$root/target/staging-checks-schemathesis.txt"
summary "### Black-box API suite: $result" "" '```' "$(tail -n 15 "$root/target/staging-checks-schemathesis.txt")" '```' ""

echo "== performance validation (hey, ${perf_seconds} s x $concurrency connections per endpoint; p95 < 1 s, errors < 5 %)"
summary "### Performance validation" "" "| endpoint | requests | p95 (s) | non-2xx | verdict |" "|---|---|---|---|---|"
for path in "/api/v1/employees?size=20" "/api/v1/departments" "/api/v1/analytics/summary"; do
  out=$(hey -z "${perf_seconds}s" -c "$concurrency" -H "Authorization: Bearer $token" "$base$path")
  total=$(awk '/\[[0-9]+\][[:space:]]+[0-9]+ responses/ { gsub(/[][]/, "", $1); n += $2 } END { print n + 0 }' <<<"$out")
  ok=$(awk '/\[2[0-9][0-9]\][[:space:]]+[0-9]+ responses/ { n += $2 } END { print n + 0 }' <<<"$out")
  errors=$(awk '/^Error distribution:/ { e = 1; next } e && /\[[0-9]+\]/ { gsub(/[][]/, "", $1); n += $1 } END { print n + 0 }' <<<"$out")
  p95=$(awk '/ 95% in / { print $3 }' <<<"$out")
  all=$((total + errors))
  bad=$((all - ok))
  verdict=ok
  if [[ -z "$p95" || $all == 0 ]] || awk -v p="$p95" -v b="$bad" -v a="$all" 'BEGIN { exit !(p >= 1 || b / a > 0.05) }'; then
    verdict=FAILED
    failed=1
  fi
  echo "$path: $all requests, p95 ${p95:-?} s, $bad not 2xx -> $verdict"
  summary "| $path | $all | ${p95:-?} | $bad | $verdict |"
done
exit $failed
