#!/bin/bash
# Runs once on the primary's first start (docker-entrypoint-initdb.d): a
# replication role whose password comes from a secret file, the replica's
# physical slot, and hba access for replication connections.
set -euo pipefail
password=${REPLICATION_PASSWORD:-}
if [ -n "${REPLICATION_PASSWORD_FILE:-}" ]; then password=$(cat "$REPLICATION_PASSWORD_FILE"); fi
[ -n "$password" ] || { echo "REPLICATION_PASSWORD_FILE is empty" >&2; exit 1; }
# psql variables (:'pw') quote the password, so any character is safe.
psql -v ON_ERROR_STOP=1 -v pw="$password" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
create role replicator with replication login password :'pw';
select pg_create_physical_replication_slot('replica_1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
