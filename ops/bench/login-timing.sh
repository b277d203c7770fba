#!/usr/bin/env bash
# Enumeration-resistance benchmark: a failed login for an unknown user should cost about as much as one for a known
# user with a wrong password (both hash a password). Run against a running employee-api (default
# http://127.0.0.1:8080) with an existing user name as $1; prints both medians and their ratio. Bounded: RUNS
# attempts of each (default 10), spread over distinct unknown names, 1 wrong password per known-user attempt.
# Mind the lockout: RUNS wrong passwords lock the known user after 5; use a throw-away account and unlock it after.
set -euo pipefail

known_user="${1:?usage: login-timing.sh EXISTING_USERNAME [BASE_URL]}"
base="${2:-http://127.0.0.1:8080}/api/v1/auth/login"
runs="${RUNS:-10}"

attempt_time() {
  curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Wrong-password-$RANDOM\"}" "$base"
}

median_ms() {
  sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2) * 1000 }'
}

unknown=$(for i in $(seq 1 "$runs"); do attempt_time "no-such-user-$i-$RANDOM"; done | median_ms)
known=$(for _ in $(seq 1 "$runs"); do attempt_time "$known_user"; done | median_ms)
echo "failed login, median of $runs: unknown user ${unknown} ms, known user with wrong password ${known} ms," \
  "ratio $(awk -v a="$unknown" -v b="$known" 'BEGIN { printf "%.2f", a / b }')"
