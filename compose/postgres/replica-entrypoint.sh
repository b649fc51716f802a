#!/bin/bash
# Builds the replica from a base backup of the primary on first start, then runs it as a hot standby.
set -euo pipefail
PGDATA=${PGDATA:-/var/lib/postgresql/data}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h postgres-primary -U replicator; do sleep 1; done
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  gosu postgres pg_basebackup -h postgres-primary -U replicator -D "$PGDATA" -X stream -S replica_1 -R
fi
exec gosu postgres postgres -D "$PGDATA" -c hot_standby=on
