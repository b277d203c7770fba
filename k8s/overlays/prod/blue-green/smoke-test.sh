#!/bin/sh
# Smoke test of a running employee-api: health, login, a read, a harmless write, logout, and (optionally) metrics.
# One source: deploy/smoke-test.sh is a link to this file, and the prod Rollout's pre-promotion analysis mounts it
# into its Job (k8s/overlays/prod/blue-green). POSIX sh + curl only, so it runs in a plain curl image.
#
# Usage: smoke-test.sh BASE_URL            e.g. https://employee-mgmt.example.com or http://employee-api-preview
# Environment:
#   SMOKE_USERNAME, SMOKE_PASSWORD  an account that may read employees (required)
#   SMOKE_METRICS_URL               the management port's /metrics of the same instance (optional: not routed by the
#                                   Ingress; the pre-promotion analysis checks metrics through Prometheus instead)
#   SMOKE_CACERT                    CA bundle for a self-signed TLS endpoint (optional)
#   SMOKE_TIMEOUT                   seconds per request (default 10)
# Exit 0 when every step passed; otherwise 1 with "SMOKE FAIL: <step>: <what was seen>" on stderr.
set -eu

BASE_URL=${1:-${SMOKE_BASE_URL:-}}
BASE_URL=${BASE_URL%/}
TIMEOUT=${SMOKE_TIMEOUT:-10}
if [ -z "$BASE_URL" ]; then
  echo "usage: $0 BASE_URL (credentials in SMOKE_USERNAME / SMOKE_PASSWORD)" >&2
  exit 2
fi
if [ -z "${SMOKE_USERNAME:-}" ] || [ -z "${SMOKE_PASSWORD:-}" ]; then
  echo "SMOKE FAIL: setup: SMOKE_USERNAME and SMOKE_PASSWORD must be set" >&2
  exit 2
fi

BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT
STEP=setup
fail() {
  echo "SMOKE FAIL: $STEP: $*" >&2
  exit 1
}
pass() { echo "smoke ok: $STEP"; }

# call METHOD PATH [JSON]: the response body lands in $BODY, the status code in $STATUS.
call() {
  method=$1 path=$2 json=${3:-}
  set -- -sS -o "$BODY" -w '%{http_code}' --max-time "$TIMEOUT" -X "$method"
  if [ -n "${SMOKE_CACERT:-}" ]; then set -- "$@" --cacert "$SMOKE_CACERT"; fi
  if [ -n "$json" ]; then set -- "$@" -H 'Content-Type: application/json' --data "$json"; fi
  if [ -n "${TOKEN:-}" ]; then set -- "$@" -H "Authorization: Bearer $TOKEN"; fi
  STATUS=$(curl "$@" "$BASE_URL$path" 2>&1) || fail "$method $path: no answer ($(printf '%s' "$STATUS" | tr '\n' ' '))"
}

# field NAME: the value of a top-level string field of the last JSON body (escapes kept as they are).
field() { sed -nE "s/.*\"$1\":\"(([^\"\\\\]|\\\\.)*)\".*/\\1/p" "$BODY" | head -n 1; }

STEP="health"
TOKEN=
call GET /api/v1/health/ready
[ "$STATUS" = 200 ] || fail "GET /api/v1/health/ready answered $STATUS"
pass

STEP="login"
call POST /api/v1/auth/login "{\"username\":\"$SMOKE_USERNAME\",\"password\":\"$SMOKE_PASSWORD\"}"
[ "$STATUS" = 200 ] || fail "POST /api/v1/auth/login answered $STATUS"
TOKEN=$(field accessToken)
[ -n "$TOKEN" ] || fail "no accessToken in the login answer"
pass

STEP="read"
call GET '/api/v1/employees?size=1&count=true'
[ "$STATUS" = 200 ] || fail "GET /api/v1/employees answered $STATUS"
grep -q '"totalElements":[0-9]' "$BODY" || fail "GET /api/v1/employees: no totalElements in the answer"
pass

# The write: the caller's own profile written back unchanged (PUT replaces email and display name) - it goes through
# the database and the audit trail and changes nothing anyone can see.
STEP="write"
call GET /api/v1/auth/me
[ "$STATUS" = 200 ] || fail "GET /api/v1/auth/me answered $STATUS"
email=$(field email)
name=$(field displayName)
if [ -n "$name" ]; then
  profile="{\"email\":\"$email\",\"displayName\":\"$name\"}"
else
  profile="{\"email\":\"$email\"}"
fi
call PUT /api/v1/auth/me "$profile"
[ "$STATUS" = 200 ] || fail "PUT /api/v1/auth/me answered $STATUS"
pass

# Clean-up: the session ends, and the token is refused afterwards (the logout was written).
STEP="logout"
call POST /api/v1/auth/logout
[ "$STATUS" = 204 ] || fail "POST /api/v1/auth/logout answered $STATUS"
call GET /api/v1/auth/me
[ "$STATUS" = 401 ] || fail "the token still works after logout ($STATUS)"
pass

if [ -n "${SMOKE_METRICS_URL:-}" ]; then
  STEP="metrics"
  TOKEN=
  status=$(curl -sS -o "$BODY" -w '%{http_code}' --max-time "$TIMEOUT" "$SMOKE_METRICS_URL" 2>&1) ||
    fail "GET $SMOKE_METRICS_URL: no answer"
  [ "$status" = 200 ] || fail "GET $SMOKE_METRICS_URL answered $status"
  grep -q '^http_server_requests_seconds_count' "$BODY" || fail "no http_server_requests_seconds_count in $SMOKE_METRICS_URL"
  pass
fi
echo "SMOKE PASSED: $BASE_URL"
