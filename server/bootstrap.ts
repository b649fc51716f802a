import { createDatabase } from "../db/client.ts";
import type { Config } from "../platform/config.ts";
import { createLogger, type Logger } from "../platform/logger.ts";
import { Registry } from "../platform/metrics.ts";
import { registerProcessMetrics } from "../platform/process-metrics.ts";
import { createRedis } from "../platform/redis.ts";
import { loadOrExit } from "../platform/settings.ts";
import { cacheRuntime, closeCacheRuntime } from "./cache/index.ts";
import type { AppDeps } from "./core/deps.ts";
import { databaseProbe, queueProbe, redisProbe, searchProbe } from "./ops/probes.ts";
import { eventsHealthSettings } from "./ops/settings.ts";
import { closeSearchEngine } from "./search/engine.ts";

/**
 * Chooses the implementations once, from the config: the only place that
 * knows whether Redis, RabbitMQ or Elasticsearch are configured.
 */
export function createDeps(
  config: Config,
  name = "app",
  logger: Logger = createLogger(config.LOG_LEVEL, { service: name }),
  /** Where process-specific settings groups are read (tests pass their own). */
  env: Record<string, string | undefined> = process.env,
): AppDeps {
  if (!config.DATABASE_URL)
    throw new Error(
      "DATABASE_URL is not set (the cluster shim and `bun run dev` set it for embedded Postgres)",
    );
  const metrics = new Registry();
  registerProcessMetrics(metrics);
  const db = createDatabase({
    primaryUrl: config.DATABASE_URL,
    replicaUrls: config.DATABASE_REPLICA_URLS,
    poolMax: config.DATABASE_POOL_MAX,
    maxLagMs: config.REPLICA_MAX_LAG_MS,
    checkIntervalMs: config.REPLICA_CHECK_INTERVAL_MS,
    logger,
    applicationName: name,
    metrics,
  });
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, logger, name) : null;
  metrics.gauge("db_pool_max_connections", "configured connections per pool", (g) => {
    for (const p of db.pools()) g.set({ pool: p.name }, p.max);
  });
  metrics.gauge("db_pool_active_operations", "queries and transactions in flight per pool", (g) => {
    for (const p of db.pools()) g.set({ pool: p.name }, p.active);
  });
  metrics.gauge("db_replica_lag_ms", "replica replay lag in ms (-1 = down)", (g) => {
    for (const r of db.replicas) g.set({ replica: r.name }, r.status === "down" ? -1 : (r.lagMs ?? -1));
  });
  metrics.gauge("db_replica_up", "1 when a replica receives reads", (g) => {
    for (const r of db.replicas) g.set({ replica: r.name }, r.status === "up" ? 1 : 0);
  });
  const deps: AppDeps = {
    config,
    db,
    logger,
    metrics,
    redis,
    probes: [
      databaseProbe(db),
      redisProbe(redis),
      queueProbe(
        db.primary,
        config.AMQP_URL,
        loadOrExit(() => eventsHealthSettings.load(env)),
      ),
      searchProbe(config.ELASTICSEARCH_URL),
    ],
  };
  // The catalog cache (Redis, else in-process + LISTEN/NOTIFY) starts now, so it listens before serving.
  cacheRuntime(deps);
  return deps;
}

/** Closes everything `createDeps` opened. */
export async function closeDeps(deps: AppDeps): Promise<void> {
  await closeCacheRuntime(deps);
  await closeSearchEngine(deps);
  await deps.db.close();
  deps.redis?.disconnect();
}
