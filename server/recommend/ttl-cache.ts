import { RecentMap } from "../../platform/recent-map.ts";

/**
 * A small per-instance cache with a time to live and a size bound (entries
 * not used recently go first: `RecentMap`). Recommendations may be a minute old; sharing them across
 * instances is not worth a Redis round trip on a path this cheap to recompute.
 */
export class TtlCache<V> {
  private readonly entries: RecentMap<string, { value: V; expires: number }>;
  private readonly loading = new Map<string, Promise<V>>();
  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
    /** Told how each lookup went (for a metric). */
    private readonly onLookup: (result: "hit" | "miss" | "coalesced") => void = () => {},
  ) {
    this.entries = new RecentMap(maxEntries);
  }

  /**
   * The cached value, or the one `load` computes (then cached). Concurrent
   * misses of one key share one load (a popular product's first requests
   * after expiry cost one computation, not one each). A failed load is not
   * cached.
   */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) {
      this.onLookup("hit");
      return hit.value;
    }
    const pending = this.loading.get(key);
    if (pending) {
      this.onLookup("coalesced");
      return pending;
    }
    this.onLookup("miss");
    const started = load()
      .then((value) => {
        this.store(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }

  private store(key: string, value: V): void {
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  /** Forgets every entry whose key starts with `prefix` (a load under way still stores its value). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
