#!/usr/bin/env bash
# Entry point of the compose stack's streaming replica: on first start, clone the primary with pg_basebackup -R
# (which writes standby.signal and primary_conninfo), then run PostgreSQL as a hot standby (arguments are passed on).
set -euo pipefail
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  PGPASSWORD=$(cat "$REPLICATION_PASSWORD_FILE")
  export PGPASSWORD
  for attempt in $(seq 1 60); do
    if pg_basebackup --host="$PRIMARY_HOST" --username=replicator --pgdata="$PGDATA" \
      --write-recovery-conf --wal-method=stream --checkpoint=fast; then
      break
    fi
    ((attempt < 60)) || { echo "no base backup from $PRIMARY_HOST after 60 attempts" >&2; exit 1; }
    echo "waiting for the primary at $PRIMARY_HOST (attempt $attempt)" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
fi
exec postgres -c hot_standby=on "$@"
