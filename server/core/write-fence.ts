import { currentConsistency, demandPrimary, requireAtLeast } from "../../db/context.ts";
import { databaseName } from "../../platform/config.ts";
import type { AppDeps } from "./deps.ts";

/**
 * Read-your-writes across requests: when a signed-in caller's request
 * commits, the commit position is remembered under the caller's id; their
 * next requests (on any instance, when Redis is shared) read only from
 * servers that have replayed that far. Positions are kept for
 * FENCE_TTL_MS, far longer than any replica lag we tolerate.
 */
const FENCE_TTL_MS = 60_000;

interface FenceStore {
  get(key: string): Promise<bigint | null>;
  set(key: string, lsn: bigint): Promise<void>;
}

function memoryStore(): FenceStore {
  const entries = new Map<string, { lsn: bigint; expires: number }>();
  return {
    async get(key) {
      const e = entries.get(key);
      if (!e) return null;
      if (e.expires < Date.now()) {
        entries.delete(key);
        return null;
      }
      return e.lsn;
    },
    async set(key, lsn) {
      const prior = entries.get(key);
      if (prior && prior.lsn > lsn && prior.expires > Date.now()) return;
      entries.set(key, { lsn, expires: Date.now() + FENCE_TTL_MS });
      if (entries.size > 100_000) {
        const now = Date.now();
        for (const [k, v] of entries) if (v.expires < now) entries.delete(k);
      }
    },
  };
}

const stores = new WeakMap<AppDeps, { store: FenceStore; prefix: string }>();

function storeFor(deps: AppDeps): { store: FenceStore; prefix: string } {
  let s = stores.get(deps);
  if (!s) {
    const redis = deps.redis;
    const store: FenceStore = redis
      ? {
          async get(key) {
            const v = await redis.get(key);
            return v ? BigInt(v) : null;
          },
          async set(key, lsn) {
            await redis.set(key, lsn.toString(), "PX", FENCE_TTL_MS);
          },
        }
      : memoryStore();
    s = { store, prefix: `rw:${databaseName(deps.config)}:` };
    stores.set(deps, s);
  }
  return s;
}

/** True when reads can go to replicas at all (otherwise fences are pointless). */
const hasReplicas = (deps: AppDeps) => deps.db.replicas.length > 0;

/** Applies the caller's remembered write position to this request's reads. */
export async function loadWriteFence(deps: AppDeps, principal: string): Promise<void> {
  if (!hasReplicas(deps)) return;
  const { store, prefix } = storeFor(deps);
  try {
    const lsn = await store.get(prefix + principal);
    if (lsn !== null) requireAtLeast(lsn);
  } catch {
    // The store is unreachable: we cannot know what the caller just wrote, so read the primary.
    demandPrimary();
  }
}

/** Remembers this request's commit position for the caller's next requests. */
export async function saveWriteFence(deps: AppDeps, principal: string): Promise<void> {
  if (!hasReplicas(deps)) return;
  const ctx = currentConsistency();
  if (!ctx?.wrote || ctx.minLsn === null) return;
  const { store, prefix } = storeFor(deps);
  await store.set(prefix + principal, ctx.minLsn).catch(() => {});
}
