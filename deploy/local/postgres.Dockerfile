# Local stand-in for the official postgres image, from Debian's PostgreSQL 15:
# the same entrypoint contract as far as the compose files use it
# (POSTGRES_USER / POSTGRES_PASSWORD_FILE / POSTGRES_DB, PGDATA,
# /docker-entrypoint-initdb.d/*.sh|*.sql run once against a socket-only server,
# gosu for the replica script), so one production compose file runs either.
FROM local/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 postgresql-client-15 gosu \
 && rm -rf /var/lib/apt/lists/* /var/lib/postgresql/15 \
 && mkdir -p /var/run/postgresql /docker-entrypoint-initdb.d /var/lib/postgresql/wal-archive \
 && chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql \
 && chmod 3777 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
