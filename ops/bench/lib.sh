#!/usr/bin/env bash
# Shared helpers of the benchmark scripts (sourced, not run): a private PostgreSQL cluster and the service, both on
# free loopback ports, both stopped by PID. PostgreSQL comes from the Debian server package
# (/usr/lib/postgresql/NN/bin); as root it runs as the postgres user.

PG_BIN="${PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)}"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

log() {
  printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
}

# as_pg CMD...: runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_start DATADIR PORT: initialises DATADIR on first use (database employees, trust on loopback only), starts it.
pg_start() {
  local dir="$1" port="$2"
  if [ ! -s "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir" "$(dirname "$dir")"
    as_pg "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 512MB
effective_cache_size = 4GB
work_mem = 16MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
CONF
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -o "-p $port" -l "$dir/server.log" -w -t 60 start >/dev/null
  if ! as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'employees'" | grep -q 1; then
    as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc 'CREATE DATABASE employees' >/dev/null
  fi
}

pg_stop() {
  local dir="$1"
  if [ -s "$dir/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
}

pg_postmaster_pid() {
  head -1 "$1/postmaster.pid"
}

# app_start JAR PORT MGMT_PORT DB_PORT EMPLOYEES LOGFILE [extra java args...]: starts the service, prints its PID.
app_start() {
  local jar="$1" port="$2" mgmt="$3" db="$4" employees="$5" logfile="$6"
  shift 6
  PORT="$port" MANAGEMENT_PORT="$mgmt" \
    SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$db/employees" \
    SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=unused \
    EMPLOYEE_MGMT_DEMO_DATA_ENABLED=true EMPLOYEE_MGMT_DEMO_DATA_EMPLOYEES="$employees" \
    EMPLOYEE_MGMT_ADMIN_PASSWORD="$BENCH_ADMIN_PASSWORD" \
    "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" "$@" -jar "$jar" >"$logfile" 2>&1 &
  echo $!
}

# wait_ready PID URL SECONDS: waits for URL to answer 200 while PID lives.
wait_ready() {
  local pid="$1" url="$2" limit="$3" start
  start=$(date +%s)
  while [ $(($(date +%s) - start)) -lt "$limit" ]; do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -fs -o /dev/null "$url" && return 0
    sleep 0.5
  done
  return 1
}

stop_pid() {
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}
