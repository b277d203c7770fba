#!/usr/bin/env bash
# Runs once, when the official postgres image initialises an empty data directory (docker-entrypoint-initdb.d):
# creates the replication role for the streaming replica and lets it connect for replication.
set -euo pipefail
password=$(cat "$REPLICATION_PASSWORD_FILE")
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$password" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
