import type { Database } from "../../db/client.ts";
import type { Logger } from "../../platform/logger.ts";
import type { Counter, Registry } from "../../platform/metrics.ts";
import { type Cache, CacheUnavailableError, entryKey, type Lookup, lsnVersion, versionLsn } from "./cache.ts";

/** One cacheable thing: what it is called in metrics, its key, and the generations it depends on. */
export interface AsideSpec {
  /** Metric label, e.g. `product`, `product_list`, `category_tree`. */
  cache: string;
  /** Key without generations, e.g. `product:blue-mug`. */
  key: string;
  /** Generations whose raise makes this entry obsolete. */
  generations: string[];
}

/**
 * Builds the value from the database. `minLsn` is the WAL position the read
 * must have replayed (pass it to `db.read`), so that a rebuild after a raise
 * never reads a replica that is still behind the write that caused it.
 */
export type Loader = (minLsn: bigint | null) => Promise<string>;

export interface AsideOptions {
  /** Entry lifetime: a backstop only, correctness comes from generations. */
  ttlMs?: number;
  /** How long a rebuild lock lives if its holder dies. */
  lockTtlMs?: number;
  /** How long a request waits for another instance's rebuild before loading itself. */
  waitMs?: number;
  pollMs?: number;
}

/** The newest WAL position among generation values (null for none). */
function newestLsn(versions: string[]): bigint | null {
  return versions.reduce<bigint | null>((m, v) => {
    const l = versionLsn(v);
    return m === null || l > m ? l : m;
  }, null);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Cache-aside over generational keys, with stampede protection: concurrent
 * misses in this process share one load, and across processes a lock (SET NX
 * PX in Redis) lets one instance rebuild while the others poll for its entry.
 * Waiters never fall back to an entry of an older generation, because that
 * could be older than a write already acknowledged to some client. Any cache
 * failure degrades to a database read; it never fails the request.
 *
 * Against Redis a hit costs one round trip (the lookup script) and a miss
 * two (the lookup, which also takes the lock, then store-and-unlock), since
 * this code runs on every catalog read (docs/catalog.md, "Cache").
 */
export class CacheAside {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly requests: Counter;
  private readonly loads: Counter;
  private readonly errors: Counter;
  private readonly ttlMs: number;
  private readonly lockTtlMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;

  constructor(
    readonly cache: Cache,
    private readonly db: Database,
    metrics: Registry,
    private readonly logger: Logger,
    opts: AsideOptions = {},
  ) {
    this.requests = metrics.counter("cache_requests_total", "cache lookups by cache and result");
    this.loads = metrics.counter("cache_loads_total", "database loads made to fill a cache entry");
    this.errors = metrics.counter(
      "cache_errors_total",
      "cache operations that failed (served from the database)",
    );
    this.ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.lockTtlMs = opts.lockTtlMs ?? 5_000;
    this.waitMs = opts.waitMs ?? 2_000;
    this.pollMs = opts.pollMs ?? 10;
  }

  /** The value for `spec`: from the cache when its generations still match, else loaded and stored. */
  async fetch(spec: AsideSpec, load: Loader): Promise<string> {
    let found: Lookup;
    try {
      found = await this.lookup(spec);
    } catch (err) {
      return this.bypass(spec, err, load);
    }
    const versions = found.versions as string[];
    if (found.value !== null) {
      this.requests.inc({ cache: spec.cache, result: "hit" });
      return found.value;
    }
    const minLsn = newestLsn(versions);
    const full = entryKey(spec.key, versions);
    const running = this.inflight.get(full);
    if (running) {
      // Our own rebuild usually holds the lock; if the lookup got it anyway, hand it back.
      if (found.token !== null) this.release(full, found.token);
      this.requests.inc({ cache: spec.cache, result: "coalesced" });
      return running;
    }
    this.requests.inc({ cache: spec.cache, result: "miss" });
    const p = this.rebuild(spec, full, minLsn, load, found.token).finally(() => this.inflight.delete(full));
    this.inflight.set(full, p);
    return p;
  }

  /**
   * The WAL position a read must have replayed to be as fresh as `generations`
   * are now: for callers that answer from a source of their own (the search
   * index) instead of a cached entry. Null when the cache cannot tell (Redis
   * down): then any read will do, as on a bypass.
   */
  async floor(generations: string[]): Promise<bigint | null> {
    const versions = await this.versions(generations);
    return versions === null ? null : newestLsn(versions);
  }

  /**
   * The current versions of `generations`, those never seen (or evicted)
   * recorded first, so that the answer only changes when a write raises one
   * (reading "missing" and later the recorded version would look like a
   * change). Null when the cache cannot tell (Redis down).
   */
  async versions(generations: string[]): Promise<string[] | null> {
    try {
      const found = await this.cache.getVersions(generations);
      if (found.every((v) => v !== null)) return found as string[];
      return await this.recordMissing(generations, found);
    } catch (err) {
      this.note("read", err);
      return null;
    }
  }

  /**
   * One `Cache.lookup` (a single Redis round trip for a hit, or for a miss
   * and the rebuild lock), plus, for generations never seen (or evicted), a
   * round that records the primary's current position and looks up again.
   */
  private async lookup(spec: AsideSpec): Promise<Lookup> {
    const first = await this.cache.lookup(spec.key, spec.generations, this.lockTtlMs);
    if (first.versions.every((v) => v !== null)) return first;
    await this.recordMissing(spec.generations, first.versions);
    const again = await this.cache.lookup(spec.key, spec.generations, this.lockTtlMs);
    if (again.versions.every((v) => v !== null)) return again;
    // Evicted again at once (or the in-process cache was reset): serve from the database.
    throw new CacheUnavailableError("generations vanished while being recorded");
  }

  /**
   * The generations with those never seen (or evicted) recorded. A missing
   * generation must not read as "oldest": an entry stored under it could
   * predate writes. It starts at the primary's current position instead.
   */
  private async recordMissing(names: string[], found: (string | null)[]): Promise<string[]> {
    const now = lsnVersion(await this.db.currentLsn());
    return Promise.all(found.map((v, i) => (v !== null ? v : this.cache.initVersion(names[i]!, now))));
  }

  /** `token`: the rebuild lock, when the lookup took it; null when another holds it. */
  private async rebuild(
    spec: AsideSpec,
    full: string,
    minLsn: bigint | null,
    load: Loader,
    token: string | null,
  ): Promise<string> {
    if (token !== null) {
      // The lookup missed and locked in one step: nobody stored the entry in between.
      this.loads.inc({ cache: spec.cache });
      let value: string;
      try {
        value = await load(minLsn);
      } catch (err) {
        this.release(full, token);
        throw err;
      }
      // Stored and unlocked in one step; if that fails the lock expires by itself.
      await this.cache
        .storeAndUnlock(full, value, this.ttlMs, token)
        .catch((err: unknown) => this.note("set", err));
      return value;
    }
    const deadline = Date.now() + this.waitMs;
    while (Date.now() < deadline) {
      await sleep(this.pollMs);
      const value = await this.cache.get(full).catch(() => null);
      if (value !== null) {
        this.requests.inc({ cache: spec.cache, result: "waited" });
        return value;
      }
    }
    // The holder is slow or died; its lock expires on its own. Serve this request anyway.
    return this.loadAndStore(spec, full, minLsn, load);
  }

  private release(full: string, token: string): void {
    this.cache.unlock(full, token).catch((err: unknown) => this.note("unlock", err));
  }

  private async loadAndStore(spec: AsideSpec, full: string, minLsn: bigint | null, load: Loader) {
    this.loads.inc({ cache: spec.cache });
    const value = await load(minLsn);
    await this.cache.set(full, value, this.ttlMs).catch((err: unknown) => this.note("set", err));
    return value;
  }

  private bypass(spec: AsideSpec, err: unknown, load: Loader, minLsn: bigint | null = null) {
    this.note("read", err);
    this.requests.inc({ cache: spec.cache, result: "bypass" });
    this.loads.inc({ cache: spec.cache });
    return load(minLsn);
  }

  private note(op: string, err: unknown): void {
    this.errors.inc({ op });
    this.logger.debug("cache operation failed", { op, err });
  }
}
