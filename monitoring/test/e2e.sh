#!/usr/bin/env bash
# End-to-end proof of the monitoring configuration against the real service (docs/operations/observability.md):
# starts its own PostgreSQL primary + streaming replica, Redis, the service jar, the PostgreSQL/Redis/node exporters,
# Prometheus (configuration derived mechanically from monitoring/prometheus/prometheus.yml), Alertmanager (from
# monitoring/alertmanager/alertmanager.yml) and a local Slack-webhook stand-in; drives bounded traffic; asserts that
# every scrape target is up, every dashboard query returns series and no alert fires spuriously; then stops the
# PostgreSQL primary under traffic and asserts that HighErrorRate and DatabaseConnectionFailure fire and reach the
# webhook through the critical route. Loopback only; every process it starts is stopped on exit.
#
# Ports: every listener gets a free loopback port from the kernel at start (printed in the log), so the check can run
# beside anything else on the machine.
# Env: EMPLOYEE_API_JAR (default target/employee-api-1.0.0-SNAPSHOT.jar, built if missing or older than the sources),
#      KEEP_WORKDIR=1 keeps the temporary directory with all logs.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MON="$REPO/monitoring"
PG_BIN=/usr/lib/postgresql/15/bin
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
PY=/usr/bin/python3
START=$(date +%s)

# Twelve distinct free loopback ports, chosen while all twelve sockets are held open.
read -r API_PORT MGMT_PORT PROM_PORT AM_PORT HOOK_PORT PG_PORT PG_REPLICA_PORT REDIS_PORT \
  NODE_EXPORTER_PORT REDIS_EXPORTER_PORT PG_EXPORTER_PORT PG_REPLICA_EXPORTER_PORT < <("$PY" -c '
import socket
held = [socket.socket() for _ in range(12)]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))')
export LOCAL_PORT_MANAGEMENT=$MGMT_PORT LOCAL_PORT_ALERTMANAGER=$AM_PORT LOCAL_PORT_PG_EXPORTER=$PG_EXPORTER_PORT \
  LOCAL_PORT_PG_REPLICA_EXPORTER=$PG_REPLICA_EXPORTER_PORT LOCAL_PORT_REDIS_EXPORTER=$REDIS_EXPORTER_PORT \
  LOCAL_PORT_NODE_EXPORTER=$NODE_EXPORTER_PORT
API=http://127.0.0.1:$API_PORT
PROM=http://127.0.0.1:$PROM_PORT
AM=http://127.0.0.1:$AM_PORT

WORK=$(mktemp -d /tmp/monitoring-e2e.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK/logs" "$WORK/rules" "$WORK/secrets" "$WORK/prometheus-data" "$WORK/alertmanager-data"
PIDS=()

log() { printf '[e2e %3ds] %s\n' "$(($(date +%s) - START))" "$*"; }

cleanup() {
  local status=$?
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  for dir in "$WORK/pg/primary" "$WORK/pg/replica"; do
    if [[ -f "$dir/postmaster.pid" ]]; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1
    fi
  done
  if [[ $status -ne 0 ]]; then
    log "FAILED (exit $status); last log lines:"
    for f in "$WORK"/logs/*.log; do echo "--- $f"; tail -n 15 "$f"; done
  fi
  if [[ "${KEEP_WORKDIR:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit $status
}
trap cleanup EXIT

fail() { log "ASSERTION FAILED: $*"; exit 1; }

# start NAME CMD...: runs CMD in the background with its output in logs/NAME.log and remembers its PID.
start() {
  local name=$1
  shift
  "$@" >"$WORK/logs/$name.log" 2>&1 &
  PIDS+=("$!")
}

# wait_for URL SECONDS: polls until URL answers 2xx.
wait_for() {
  local deadline=$(($(date +%s) + $2))
  until curl -sf -o /dev/null "$1"; do
    (($(date +%s) < deadline)) || fail "$1 did not come up within $2 s"
    sleep 0.5
  done
}

promql() { curl -sf --data-urlencode "query=$1" "$PROM/api/v1/query" | jq -r "$2"; }

# ------------------------------------------------------------------------------------------------ the jar
JAR=${EMPLOYEE_API_JAR:-$REPO/target/employee-api-1.0.0-SNAPSHOT.jar}
if [[ ! -f "$JAR" ]] || [[ -n "$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  log "building $JAR"
  (cd "$REPO" && ./mvnw -B -q -DskipTests package)
fi

# ------------------------------------------------------------------------------------------------ configuration
# Rules: the same files with every `for:` set to 15s (expressions identical, checked by shorten_for.py).
"$PY" "$MON/test/shorten_for.py" "$WORK/rules" "$MON"/prometheus/rules/*.yml
# Prometheus: Kubernetes-only jobs dropped, the others with static loopback targets (prometheus_config.py local).
"$PY" "$MON/test/prometheus_config.py" local "$MON/prometheus/prometheus.yml" "$WORK/prometheus.yml" "$WORK/rules"
promtool check config "$WORK/prometheus.yml" >/dev/null
# Alertmanager: the same file with /etc/alertmanager/{secrets,templates} pointing at the local copies.
sed -e "s#/etc/alertmanager/secrets/#$WORK/secrets/#g" -e "s#/etc/alertmanager/templates/#$MON/alertmanager/templates/#g" \
  "$MON/alertmanager/alertmanager.yml" >"$WORK/alertmanager.yml"
amtool check-config "$WORK/alertmanager.yml" >/dev/null
# The webhook secret: a random token inside the URL files, as a Kubernetes Secret would provide them.
TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'http://127.0.0.1:%s/critical?token=%s' "$HOOK_PORT" "$TOKEN" >"$WORK/secrets/slack-critical-webhook-url"
printf 'http://127.0.0.1:%s/warning?token=%s' "$HOOK_PORT" "$TOKEN" >"$WORK/secrets/slack-warning-webhook-url"
RECEIVED="$WORK/received.jsonl"
touch "$RECEIVED"

# ------------------------------------------------------------------------------------------------ PostgreSQL + Redis
log "starting PostgreSQL 15 primary ($PG_PORT) and streaming replica ($PG_REPLICA_PORT), Redis ($REDIS_PORT)"
mkdir -p "$WORK/pg"
chown postgres "$WORK/pg" "$WORK/logs"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg/primary" -U postgres -A trust -E UTF8 --no-sync >/dev/null
pg_opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg -c fsync=off"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/primary" -l "$WORK/logs/pg-primary.log" -w \
  -o "-p $PG_PORT $pg_opts" start >/dev/null
runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE employees' >/dev/null
runuser -u postgres -- "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$WORK/pg/replica" -R -X stream -c fast
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/replica" -l "$WORK/logs/pg-replica.log" -w \
  -o "-p $PG_REPLICA_PORT $pg_opts" start >/dev/null
start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --maxmemory 256mb --maxmemory-policy allkeys-lru

# ------------------------------------------------------------------------------------------------ the service
log "starting employee-api ($API_PORT, management $MGMT_PORT)"
# Throw-away administrator for the traffic's access token (the password must not contain the user name).
ADMIN_PASSWORD="e2e-boss-$(date +%s)-Pass"
start employee-api env EMPLOYEE_MGMT_ADMIN_PASSWORD="$ADMIN_PASSWORD"  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/employees" \
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=unused-trust-auth \
  SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT="$REDIS_PORT" \
  PORT="$API_PORT" MANAGEMENT_PORT="$MGMT_PORT" EMPLOYEE_MGMT_DEMO_DATA_ENABLED=true \
  java -XX:TieredStopAtLevel=1 -jar "$JAR"

# ------------------------------------------------------------------------------------------------ exporters, Prometheus, Alertmanager
start webhook "$PY" "$MON/test/webhook_receiver.py" "$HOOK_PORT" "$TOKEN" "$RECEIVED"
start pg-exporter env DATA_SOURCE_NAME="postgresql://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable" \
  prometheus-postgres-exporter --web.listen-address="127.0.0.1:$PG_EXPORTER_PORT" \
  --extend.query-path="$MON/postgres-exporter/queries.yaml"
start pg-replica-exporter env DATA_SOURCE_NAME="postgresql://postgres@127.0.0.1:$PG_REPLICA_PORT/postgres?sslmode=disable" \
  prometheus-postgres-exporter --web.listen-address="127.0.0.1:$PG_REPLICA_EXPORTER_PORT" \
  --extend.query-path="$MON/postgres-exporter/queries.yaml"
start redis-exporter prometheus-redis-exporter --redis.addr="redis://127.0.0.1:$REDIS_PORT" \
  --web.listen-address="127.0.0.1:$REDIS_EXPORTER_PORT"
start node-exporter prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_EXPORTER_PORT" --no-collector.systemd
start alertmanager prometheus-alertmanager --config.file="$WORK/alertmanager.yml" \
  --storage.path="$WORK/alertmanager-data" --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address=
wait_for "$AM/-/ready" 30
wait_for "http://127.0.0.1:$MGMT_PORT/health" 120
API_TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$API/api/v1/auth/login" |
  jq -r .accessToken)
[[ -n "$API_TOKEN" && "$API_TOKEN" != null ]] || fail "could not log in to employee-api as admin"
log "employee-api is up; starting Prometheus ($PROM_PORT)"
# Started only now: with `for:` shortened to 15 s, scraping the service while it boots would fire PodDown.
start prometheus prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus-data" \
  --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$PROM_PORT"
wait_for "$PROM/-/ready" 30

# ------------------------------------------------------------------------------------------------ traffic
# traffic SECONDS WORKERS PAUSE URL...: WORKERS loops requesting the URLs in turn until SECONDS have passed
# (and at most 5000 requests each), pausing PAUSE seconds between requests. Stops by itself.
traffic() {
  local seconds=$1 workers=$2 pause=$3
  shift 3
  local urls=("$@")
  for ((w = 0; w < workers; w++)); do
    (
      local deadline=$(($(date +%s) + seconds)) n=0
      while (($(date +%s) < deadline && n < 5000)); do
        curl -s -o /dev/null --max-time 10 -H "Authorization: Bearer $API_TOKEN" \
          "$API${urls[n % ${#urls[@]}]}" || true
        n=$((n + 1))
        sleep "$pause"
      done
    ) &
    PIDS+=("$!")
  done
}
READ_URLS=(/api/v1/health /api/v1/employees /api/v1/departments /api/v1/health/ready /api/v1/no-such-route
  /api/v1/titles /api/v1/analytics/summary
  /api/v1/employees?page=2 /api/v1/health/live)
# Replica lag, for real: pause WAL replay on the replica and write on the primary, so the replica receives WAL it does
# not apply; pg_replication_lag (monitoring/postgres-exporter/queries.yaml) must grow and ReplicationLagHigh reach the
# warning receiver.
runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_REPLICA_PORT" -U postgres -qAtc 'SELECT pg_wal_replay_pause()' >/dev/null
runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc \
  'CREATE TABLE replication_probe (at timestamptz); INSERT INTO replication_probe VALUES (now())' >/dev/null
log "traffic: 3 workers for 40 s over ${READ_URLS[*]}"
traffic 40 3 0.25 "${READ_URLS[@]}"

# Meanwhile, inhibition against the running Alertmanager: PodDown for pod p1 must silence HighErrorRate for p1 but
# not for p2 (synthetic alerts in their own namespace, so they never mix with the real ones below).
synthetic() {
  printf '{"labels":{"alertname":"%s","severity":"critical","namespace":"inhibition-check","pod":"%s"},' "$1" "$2"
  printf '"annotations":{"summary":"synthetic %s for %s"}}' "$1" "$2"
}
curl -sf -H 'Content-Type: application/json' "$AM/api/v2/alerts" \
  -d "[$(synthetic PodDown p1),$(synthetic HighErrorRate p1),$(synthetic HighErrorRate p2)]" >/dev/null
sleep 41
# Scrapes and rule evaluations start at hashed offsets within their 15 s interval: wait (bounded) until the
# recording rules have turned at least two scrapes of the service into RED series.
deadline=$(($(date +%s) + 45))
until [[ $(promql 'count(namespace_uri:http_server_requests_seconds:p95_5m{namespace="local"})' \
  '.data.result[0].value[1] // "0"') != 0 ]]; do
  (($(date +%s) < deadline)) || fail "the recording rules produced no RED series within 45 s"
  sleep 1
done

# ------------------------------------------------------------------------------------------------ assertions, healthy
log "asserting every scrape target is up"
curl -sf "$PROM/api/v1/targets" | jq -r '.data.activeTargets[] | "  \(.health)  \(.labels.job)  \(.scrapeUrl)  \(.lastError)"'
down=$(curl -sf "$PROM/api/v1/targets" | jq '[.data.activeTargets[] | select(.health != "up")] | length')
total=$(curl -sf "$PROM/api/v1/targets" | jq '.data.activeTargets | length')
[[ $down == 0 && $total == 5 ]] || fail "$down of $total targets not up (expected 5 up)"
log "all $total targets up (kubernetes-apiservers, kubernetes-nodes, kubernetes-pods exist only in Kubernetes)"

log "asserting every dashboard query returns series"
# Rate-based recording rules need two scrapes and an evaluation after the first traffic; on a loaded machine that can
# land just after this point, so a query without series gets up to two more evaluation intervals before it fails.
for attempt in 1 2 3; do
  if "$PY" "$MON/test/dashboards.py" query "$MON/grafana/dashboards" "$PROM" "$MON/prometheus/rules" \
    "$MON/test/pending-metrics.txt"; then
    break
  fi
  [[ $attempt == 3 ]] && fail "dashboard queries without series after three evaluation intervals (see above)"
  log "cache_gets_total series now: $(promql 'count(cache_gets_total)' '.data.result[0].value[1]')"
  log "some dashboard queries have no series yet; waiting one evaluation interval (attempt $attempt of 3)"
  sleep 15
done

replica=$(promql 'pg_replication_is_replica{pod="postgres-replica-local"}' '.data.result[0].value[1]')
[[ $replica == 1 ]] || fail "the replica's exporter does not report pg_replication_is_replica 1 (got $replica)"
primary_lag=$(promql 'pg_replication_lag{pod="postgres-local"}' '.data.result[0].value[1]')
replica_lag=$(promql 'pg_replication_lag{pod="postgres-replica-local"}' '.data.result[0].value[1]')
[[ $primary_lag == 0 ]] || fail "the primary reports replication lag $primary_lag"
awk -v lag="$replica_lag" 'BEGIN { exit !(lag > 0) }' || fail "replay paused, yet the replica reports lag $replica_lag"
log "replication lag: primary 0, replica ${replica_lag} s with replay paused (is_replica=1)"

log "asserting inhibition: PodDown p1 inhibits HighErrorRate p1, not p2"
inhibited=$(curl -sf "$AM/api/v2/alerts?inhibited=true&filter=namespace%3D%22inhibition-check%22" |
  jq -r '[.[] | select(.status.inhibitedBy | length > 0) | "\(.labels.alertname)/\(.labels.pod)"] | sort | join(",")')
[[ $inhibited == "HighErrorRate/p1" ]] || fail "inhibited alerts: '$inhibited', expected HighErrorRate/p1"
jq -e -s '[.[] | select(.receiver == "critical" and (.title | test("HighErrorRate.*inhibition-check")))] |
  length > 0 and all(.text | (test("for p2") and (test("for p1") | not)))' "$RECEIVED" >/dev/null ||
  fail "the HighErrorRate notification for inhibition-check should name p2 only"
log "inhibition works; the critical webhook got PodDown p1 and HighErrorRate p2 only"

firing=$(promql 'ALERTS{alertname=~"HighErrorRate|DatabaseConnectionFailure"}' '.data.result | length')
[[ $firing == 0 ]] || fail "HighErrorRate/DatabaseConnectionFailure active before the fault"
log "no HighErrorRate or DatabaseConnectionFailure while the database is up; others active: $(promql ALERTS \
  '[.data.result[].metric | "\(.alertname)(\(.alertstate))"] | join(" ")')"

# ------------------------------------------------------------------------------------------------ the fault
log "stopping the PostgreSQL primary under traffic"
FAULT=$(date +%s)
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/primary" -m fast stop >/dev/null
traffic 150 12 0 /api/v1/health /api/v1/employees /api/v1/departments /api/v1/health/ready

declare -A SEVERITY=([HighErrorRate]=critical [DatabaseConnectionFailure]=critical [ReplicationLagHigh]=warning)
delivered() {
  jq -e -s --arg a "$1" --arg s "${SEVERITY[$1]}" '[.[] | select(.receiver == $s and (.title |
    test("^\\[FIRING:[0-9]+\\] " + $a + " \\(" + $s + ", local\\)")))] | length > 0' "$RECEIVED" >/dev/null
}
firing_in_prometheus() {
  curl -sf "$PROM/api/v1/alerts" |
    jq -e --arg a "$1" '[.data.alerts[] | select(.labels.alertname == $a and .state == "firing")] | length > 0' >/dev/null
}
# For each alert: when Prometheus first reports it firing, and when the webhook of its severity receives it. The
# delivery must follow the firing within 60 s (Alertmanager group_wait/group_interval), measured by polling.
declare -A fired=() got=()
deadline=$((FAULT + 150))
while ((${#got[@]} < ${#SEVERITY[@]})); do
  (($(date +%s) < deadline)) || fail "not delivered within 150 s of the fault (fired: ${!fired[*]}; delivered: ${!got[*]})"
  for alert in "${!SEVERITY[@]}"; do
    now=$(date +%s)
    if [[ -z ${fired[$alert]:-} ]] && firing_in_prometheus "$alert"; then
      fired[$alert]=$now
      log "$alert firing in Prometheus $((now - FAULT)) s after the fault"
    fi
    if [[ -z ${got[$alert]:-} ]] && delivered "$alert"; then
      got[$alert]=$now
      [[ -n ${fired[$alert]:-} ]] || fired[$alert]=$now
      log "$alert delivered to the ${SEVERITY[$alert]} webhook $((now - FAULT)) s after the fault, \
$((now - fired[$alert])) s after it fired"
      ((now - fired[$alert] <= 60)) || fail "$alert took more than 60 s from firing to the webhook"
    fi
  done
  sleep 1
done
jq -r -s '.[] | select(.title | test("inhibition-check") | not) | "  webhook /\(.receiver): \(.title)"' "$RECEIVED"
# The probes during the outage, as docs/operations/probes.md describes them.
probe() { curl -s -o /dev/null -w '%{http_code}' --max-time 15 "$API/api/v1/health/$1"; }
live=$(probe live) ready=$(probe ready) startup=$(probe startup)
log "probes with the database down: live $live, ready $ready, startup $startup"
[[ $live == 200 && $ready == 503 && $startup == 200 ]] || fail "expected live 200, ready 503, startup 200"
ratio=$(promql 'max(namespace_pod:http_server_requests_5xx:ratio_rate5m{namespace="local"})' '.data.result[0].value[1]')
log "5xx ratio at delivery: $ratio"
log "PASSED in $(($(date +%s) - START)) s"
