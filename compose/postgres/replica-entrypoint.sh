#!/bin/bash
# Builds the replica from a base backup of the primary on first start (slot
# replica_1, so the primary keeps the WAL it still needs, bounded by
# max_slot_wal_keep_size), then runs it as a hot standby. Works with the
# official postgres image and the local Debian one (both have gosu).
set -euo pipefail
PGDATA=${PGDATA:-/var/lib/postgresql/data}
PRIMARY_HOST=${PRIMARY_HOST:-postgres-primary}
if [ -n "${REPLICATION_PASSWORD_FILE:-}" ]; then PGPASSWORD=$(cat "$REPLICATION_PASSWORD_FILE"); fi
export PGPASSWORD
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -U replicator; do sleep 1; done
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  # -R writes primary_conninfo (with the password) and primary_slot_name into postgresql.auto.conf.
  gosu postgres pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -X stream -S replica_1 -R
fi
unset PGPASSWORD
# The primary's archive settings are copied by the base backup; a standby does not archive.
exec gosu postgres postgres -D "$PGDATA" -c hot_standby=on -c archive_mode=off
