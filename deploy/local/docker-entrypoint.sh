#!/bin/bash
# Entrypoint of the local PostgreSQL image (see postgres.Dockerfile): initialise
# an empty PGDATA once, run the init scripts against a server that listens on
# the Unix socket only (so TCP health checks cannot pass during init), then
# exec the real server as the postgres user.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  exec gosu postgres "$0" "$@"
fi
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  password=${POSTGRES_PASSWORD:-}
  [ -n "${POSTGRES_PASSWORD_FILE:-}" ] && password=$(cat "$POSTGRES_PASSWORD_FILE")
  pwfile=$(mktemp) && printf '%s\n' "$password" > "$pwfile"
  initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile="$pwfile" --auth-local=trust --auth-host=trust >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
  export PGUSER=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$PGUSER}
  [ "$db" != postgres ] && psql -v ON_ERROR_STOP=1 -d postgres -c "create database \"$db\""
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "init: $f"; POSTGRES_DB=$db bash "$f" ;;
      *.sql) echo "init: $f"; psql -v ON_ERROR_STOP=1 -d "$db" -f "$f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec "$@"
