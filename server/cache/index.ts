import { databaseName } from "../../platform/config.ts";
import { tracer } from "../../platform/tracing.ts";
import type { AppDeps } from "../core/deps.ts";
import { CacheAside } from "./aside.ts";
import { type Cache, lsnVersion } from "./cache.ts";
import { MemoryCache } from "./memory-cache.ts";
import { PgVersionBus } from "./pg-bus.ts";
import { RedisCache } from "./redis-cache.ts";
import { tracedCache } from "./traced.ts";

export type { AsideSpec, Loader } from "./aside.ts";
export type { Cache } from "./cache.ts";

/** The cache pieces bound to one set of deps (one app instance). */
export interface CacheRuntime {
  cache: Cache;
  aside: CacheAside;
}

const runtimes = new WeakMap<AppDeps, CacheRuntime>();

/**
 * Keys are namespaced by database name, so that apps (and test databases)
 * sharing one Redis never see each other's entries or generations.
 */
export function cacheKeyPrefix(deps: AppDeps): string {
  return `cat:${databaseName(deps.config)}:`;
}

/**
 * Chooses the cache implementation: Redis when the deps have a client,
 * otherwise in-process with Postgres LISTEN/NOTIFY for invalidations. Built
 * once per deps and reused, so it may be called from any route or job.
 */
export function cacheRuntime(deps: AppDeps): CacheRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    const store: Cache = deps.redis
      ? new RedisCache(deps.redis, cacheKeyPrefix(deps))
      : new MemoryCache({ bus: new PgVersionBus(deps.db.primary, "catalog_cache", deps.logger) });
    const t = tracer();
    const cache = t ? tracedCache(store, t) : store;
    rt = { cache, aside: new CacheAside(cache, deps.db, deps.metrics, deps.logger) };
    runtimes.set(deps, rt);
  }
  return rt;
}

/** Stops the cache's background work for these deps (the LISTEN connection). */
export async function closeCacheRuntime(deps: AppDeps): Promise<void> {
  const rt = runtimes.get(deps);
  runtimes.delete(deps);
  await rt?.cache.close();
}

const RETRY_DELAYS_MS = [250, 1_000, 5_000, 15_000];

/**
 * Raises generations after a commit: call it once the write transaction has
 * committed and before answering. The version is the primary's WAL position
 * read now, so it is at or past the commit, and rebuilds read with that
 * position as their floor (see CacheAside). If the cache cannot be reached the
 * raise is retried in the background; the write's outbox event raises again,
 * and entries expire anyway, so an outage cannot pin an old entry forever.
 */
export async function raiseGenerations(deps: AppDeps, names: string[]): Promise<void> {
  if (!names.length) return;
  const { cache } = cacheRuntime(deps);
  const attempt = async (): Promise<boolean> => {
    try {
      const version = lsnVersion(await deps.db.currentLsn());
      await cache.raiseVersions(names, version);
      return true;
    } catch (err) {
      deps.logger.warn("cache invalidation failed; retrying", { names: names.slice(0, 10), err });
      return false;
    }
  };
  if (await attempt()) return;
  const retry = (i: number) => {
    const delay = RETRY_DELAYS_MS[i];
    if (delay === undefined) return;
    setTimeout(() => {
      void attempt().then((ok) => ok || retry(i + 1));
    }, delay).unref?.();
  };
  retry(0);
}
