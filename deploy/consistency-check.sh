#!/usr/bin/env bash
# Proof 4: the manifests against the real service. Renders the prod overlay, extracts the employee-api
# container's environment (ConfigMap + the Secrets deploy/create-secrets.sh makes), probe paths/ports and the scrape
# annotations, then - inside a private network namespace, so the manifests' own ports (8080, 9091, 5432, 6379) are
# used unchanged and nothing on the machine is disturbed - starts PostgreSQL and Redis (with the redis container's
# args) under the Service names (postgres, redis via a private /etc/hosts), starts the built jar with exactly that
# environment and asserts:
#   every probe path answers 200 on its port; the scrape port/path serves Prometheus text with http_server_requests
#   and application="employee-api"; the Ingress-routed port does not serve /metrics; logs are JSON lines;
#   with PostgreSQL stopped, readiness turns 503 while liveness stays 200 (the probes mean what the manifests assume);
#   and a mutated manifest (readiness on a path the service does not serve) is caught by the same checker.
# The fixed ports are the manifests' own and live only in the private network namespace: nothing else can hold them.
# Every wait is bounded and prints the service log and the machine's load when it runs out.
# Usage: deploy/consistency-check.sh            (needs target/employee-api-*.jar; builds it offline if absent)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
PG_BIN=/usr/lib/postgresql/15/bin

if [[ "${1:-}" != "--inner" ]]; then
  cd "$root"
  jar=target/employee-api-1.0.0-SNAPSHOT.jar
  if [[ ! -f "$jar" ]]; then
    ./mvnw -B -q -o -DskipTests package || ./mvnw -B -q -DskipTests package
  fi
  work=$(mktemp -d /tmp/employee-mgmt-consistency.XXXXXX)
  chmod 755 "$work"
  trap 'rm -rf "$work"' EXIT
  kubectl kustomize k8s/overlays/prod >"$work/prod.yaml"
  deploy/create-secrets.sh prod --dry-run >"$work/secrets.yaml"
  node deploy/validate/runtime-extract.mjs --render "$work/prod.yaml" --secrets "$work/secrets.yaml" --out "$work"
  echo "127.0.0.1 $(hostname)" >>"$work/hosts"
  # Negative control: the same manifests with the readiness probe on a path the service does not serve.
  mkdir "$work/mutated"
  sed 's#path: /api/v1/health/ready$#path: /api/v1/health/readiness#' "$work/prod.yaml" >"$work/mutated/prod.yaml"
  node deploy/validate/runtime-extract.mjs --render "$work/mutated/prod.yaml" --secrets "$work/secrets.yaml" \
    --out "$work/mutated" >/dev/null
  cmp -s "$work/probes.tsv" "$work/mutated/probes.tsv" && { echo "FAIL: mutation did not change the probes" >&2; exit 1; }
  cp "$root/$jar" "$work/app.jar"
  unshare --net --mount --fork "$0" --inner "$work"
  exit
fi

# ---- inside the private network + mount namespace ----
work=$2
cd "$work"
ip link set lo up
mount --bind "$work/hosts" /etc/hosts
# shellcheck disable=SC1091
source "$work/deps.env"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*" >&2; }
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; } # value low high
assert() { # message command...
  local msg=$1
  shift
  if "$@"; then ok "$msg"; else bad "$msg"; fi
}
# HTTP status of GET 127.0.0.1:port/path; 000 when no answer within the timeout (default 5 s).
status() { curl -s -o /dev/null -m "${3:-5}" -w '%{http_code}' "http://127.0.0.1:$1$2" || true; }

app_pid='' redis_pid=''
cleanup() {
  local rc=$?
  set +e
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [[ -n "$redis_pid" ]] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  [[ -f "$work/pg/data/postmaster.pid" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" stop -m immediate >/dev/null 2>&1
  exit "$rc"
}
trap cleanup EXIT

# PostgreSQL 15 (Debian) as the manifests' database: their user, password (scram), database name and port.
mkdir -p "$work/pg"
chown postgres: "$work/pg"
printf '%s\n' "$PG_PASSWORD" >"$work/pg/pw"
chown postgres: "$work/pg/pw"
runuser -u postgres -- "$PG_BIN/initdb" -D "$work/pg/data" -U "$PG_USER" --pwfile="$work/pg/pw" \
  --auth=scram-sha-256 -E UTF8 >"$work/pg/initdb.log"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $PG_PORT -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
PGPASSWORD=$PG_PASSWORD "$PG_BIN/../bin/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $PG_DB" \
  && ok "PostgreSQL reachable as $PG_HOST:$PG_PORT with the Secret's credentials; database $PG_DB created"

# Redis 7 with the redis container's own arguments.
mapfile -d '' redis_args <"$work/redis.args0"
mkdir -p "$work/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$work/redis" "${redis_args[@]}" >"$work/redis/log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h redis -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
if REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h redis -p "$REDIS_PORT" ping | grep -q PONG; then
  ok "Redis accepts the manifests' args and answers with the Secret's password"
  maxmem=$(REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h redis -p "$REDIS_PORT" config get maxmemory | tail -1)
  policy=$(REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h redis -p "$REDIS_PORT" config get maxmemory-policy | tail -1)
  assert "Redis maxmemory $maxmem bytes (<= 80 % of 512Mi)" between "$maxmem" 1 $((512 * 1024 * 1024 * 8 / 10))
  assert "Redis eviction policy $policy" [ "$policy" != noeviction ]
  noauth=$(redis-cli -h redis -p "$REDIS_PORT" ping 2>&1 || true)
  assert "Redis refuses clients without the password" grep -q NOAUTH <<<"$noauth"
else
  bad "Redis did not start with the manifests' args: $(tail -3 "$work/redis/log")"
fi

# The service, with exactly the container's environment (nothing inherited but PATH/HOME for the JVM).
mapfile -d '' app_env <"$work/app.env0"
env -i PATH="$PATH" HOME=/tmp "${app_env[@]}" \
  java -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir="$work" -jar "$work/app.jar" >"$work/app.log" 2>&1 &
app_pid=$!
startup_path=$(awk -F'\t' '$1=="startupProbe"{print $3}' probes.tsv)
give_up() {
  bad "$1 (load $(cut -d' ' -f1-3 /proc/loadavg)): $(tail -20 "$work/app.log")"
  echo "consistency: $passed passed, $failed failed"
  exit 1
}
# Startup on a busy 2-core machine: bounded at 240 s, ending early if the service exits.
deadline=$(($(date +%s) + 240))
until [[ "$(status "$API_PORT" "$startup_path")" == 200 ]]; do
  kill -0 "$app_pid" 2>/dev/null || give_up "service exited during startup"
  (($(date +%s) < deadline)) || give_up "startup probe $startup_path not 200 within 240 s"
  sleep 0.5
done

check_probes() { # file -> number of probes not answering as expected
  local bad_count=0 kind port path want got
  while IFS=$'\t' read -r kind port path want timeout; do
    got=$(status "$port" "$path" "$timeout")
    if [[ "$got" == "$want" ]]; then echo "ok   $kind GET :$port$path -> $got"; else echo "     $kind GET :$port$path -> $got (want $want)"; bad_count=$((bad_count + 1)); fi
  done <"$1"
  return "$bad_count"
}
if out=$(check_probes probes.tsv); then
  echo "$out"
  ok "all $(wc -l <probes.tsv) probes of the manifests answer 200 on the ports they name"
else
  echo "$out" >&2
  bad "probes of the manifests do not answer 200"
fi
if out=$(check_probes mutated/probes.tsv); then bad "negative control: a readiness probe on /api/v1/health/readiness passed"; else ok "negative control: a probe on a path the service lacks is caught ($(echo "$out" | grep -c want) failing)"; fi

IFS=$'\t' read -r scrape_port scrape_path <scrape.tsv
metrics=$(curl -s -m 5 "http://127.0.0.1:$scrape_port$scrape_path" || true)
assert "scrape target :$scrape_port$scrape_path serves http_server_requests_seconds_count{application=\"employee-api\"}" \
  grep -q '^http_server_requests_seconds_count{.*application="employee-api"' <<<"$metrics"
assert "scrape target serves hikaricp_connections_active{pool=\"employee-api\"}" \
  grep -q '^hikaricp_connections_active{.*pool="employee-api"' <<<"$metrics"
assert "the Ingress-routed port $API_PORT does not serve $scrape_path" [ "$(status "$API_PORT" "$scrape_path")" != 200 ]
# The first OpenAPI document is generated on demand: on a busy machine that takes more than a probe's 5 s, so
# this (not a probe) gets up to 60 s.
openapi=000
deadline=$(($(date +%s) + 60))
while (($(date +%s) < deadline)); do
  openapi=$(status "$API_PORT" /api/v1/openapi.json 30)
  [[ "$openapi" == 200 ]] && break
  sleep 1
done
assert "API answers on :$API_PORT/api/v1/openapi.json (under the Ingress prefix /api/v1; got $openapi)" [ "$openapi" = 200 ]
first_json=$(grep -m1 '^{' "$work/app.log" || true)
if [[ -n "$first_json" ]] && node -e 'const o=JSON.parse(process.argv[1]); if(!o["@timestamp"]||!o.message) process.exit(1)' "$first_json"; then
  ok "logs are structured JSON (LOGGING_STRUCTURED_FORMAT_CONSOLE from the ConfigMap)"
else
  bad "log lines are not JSON: $(head -2 "$work/app.log")"
fi

# Probe semantics the manifests rely on: without the database, readiness fails and liveness does not, each
# answering within the probe's own timeoutSeconds (a slower answer is a failure for the kubelet).
ready_path=$(awk -F'\t' '$1=="readinessProbe"{print $3}' probes.tsv)
ready_timeout=$(awk -F'\t' '$1=="readinessProbe"{print $5}' probes.tsv)
live_path=$(awk -F'\t' '$1=="livenessProbe"{print $3}' probes.tsv)
live_timeout=$(awk -F'\t' '$1=="livenessProbe"{print $5}' probes.tsv)
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" stop -m fast >/dev/null
r=''
for _ in $(seq 10); do
  started=$(date +%s%N)
  r=$(status "$API_PORT" "$ready_path" "$ready_timeout")
  took=$((($(date +%s%N) - started) / 1000000))
  [[ "$r" == 503 ]] && break
  sleep 0.5
done
l=$(status "$API_PORT" "$live_path" "$live_timeout")
assert "PostgreSQL down: readiness $ready_path -> 503 within ${ready_timeout}s (pod leaves the Service; got $r in $took ms)" [ "$r" = 503 ]
assert "PostgreSQL down: liveness $live_path -> 200 within ${live_timeout}s (no restart storm; got $l)" [ "$l" = 200 ]

echo "consistency: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
