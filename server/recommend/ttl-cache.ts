import { OldestKey } from "../../platform/oldest-key.ts";

/**
 * A small per-instance cache with a time to live and a size bound (oldest
 * entries go first). Recommendations may be a minute old; sharing them across
 * instances is not worth a Redis round trip on a path this cheap to recompute.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  // A fresh keys().next() per eviction cost 15–20 µs once the 10,000 were full (platform/oldest-key.ts).
  private readonly oldest = new OldestKey(this.entries);
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    /** Told how each lookup went (for a metric). */
    private readonly onLookup: (result: "hit" | "miss" | "coalesced") => void = () => {},
  ) {}

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
    if (this.entries.size >= this.maxEntries) this.oldest.evict();
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  /** Forgets every entry whose key starts with `prefix` (a load under way still stores its value). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
