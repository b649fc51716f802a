import { RecentMap } from "../../platform/recent-map.ts";
import { type Cache, CacheUnavailableError, entryKey, type Lookup } from "./cache.ts";

/** How instances without a shared cache tell each other about raised generations. */
export interface VersionBus {
  /**
   * Starts delivering raises published by any instance (this one included).
   * Resolves once delivery is live. `onReset` runs whenever delivery may have
   * had a gap (a reconnect), so the subscriber must forget what it knew.
   */
  subscribe(onRaise: (names: string[], version: string) => void, onReset: () => void): Promise<void>;
  publish(names: string[], version: string): Promise<void>;
  close(): Promise<void>;
}

export interface MemoryCacheOptions {
  /** Entries kept at most; those not read or written recently go first (`RecentMap`). */
  maxEntries?: number;
  bus?: VersionBus;
}

/**
 * The zero-config cache: entries, generations and locks live in this
 * process. Generations raised elsewhere arrive through the bus (Postgres
 * LISTEN/NOTIFY). Until the bus is listening, the cache refuses to answer,
 * because a raise published before then would be missed and old entries
 * could be served.
 */
export class MemoryCache implements Cache {
  readonly kind = "memory" as const;
  private readonly versions = new Map<string, string>();
  private readonly entries: RecentMap<string, { value: string; expires: number }>;
  private readonly locks = new Map<string, { token: string; expires: number }>();
  private readonly bus: VersionBus | undefined;
  private listening: boolean;
  private failure: string | null = null;
  private closed = false;

  constructor(opts: MemoryCacheOptions = {}) {
    this.entries = new RecentMap(opts.maxEntries ?? 20_000);
    this.bus = opts.bus;
    this.listening = !this.bus;
    this.subscribe(1_000);
  }

  /** Subscribes, retrying with backoff while the database cannot be reached (the cache stays bypassed meanwhile). */
  private subscribe(retryMs: number): void {
    if (!this.bus || this.closed) return;
    this.bus
      .subscribe(
        (names, version) => this.raiseLocal(names, version),
        () => this.reset(),
      )
      .then(() => {
        this.failure = null;
        this.listening = true;
      })
      .catch((err: unknown) => {
        this.failure = err instanceof Error ? err.message : String(err);
        setTimeout(() => this.subscribe(Math.min(retryMs * 2, 30_000)), retryMs).unref?.();
      });
  }

  private check(): void {
    if (this.failure) throw new CacheUnavailableError(this.failure);
    if (!this.listening) throw new CacheUnavailableError("not yet listening for invalidations");
  }

  /** Forget everything: after a gap in the bus we cannot know what was raised. */
  private reset(): void {
    this.versions.clear();
    this.entries.clear();
  }

  private raiseLocal(names: string[], version: string): void {
    for (const n of names) {
      const cur = this.versions.get(n);
      if (cur === undefined || cur < version) this.versions.set(n, version);
    }
  }

  async getVersions(names: string[]): Promise<(string | null)[]> {
    this.check();
    return names.map((n) => this.versions.get(n) ?? null);
  }

  async raiseVersions(names: string[], version: string): Promise<void> {
    this.raiseLocal(names, version);
    await this.bus?.publish(names, version);
  }

  async initVersion(name: string, version: string): Promise<string> {
    this.check();
    const cur = this.versions.get(name);
    if (cur !== undefined) return cur;
    this.versions.set(name, version);
    return version;
  }

  async get(key: string): Promise<string | null> {
    this.check();
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expires <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return e.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.check();
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
  }

  async tryLock(key: string, ttlMs: number): Promise<string | null> {
    const held = this.locks.get(key);
    if (held && held.expires > Date.now()) return null;
    const token = crypto.randomUUID();
    this.locks.set(key, { token, expires: Date.now() + ttlMs });
    return token;
  }

  async unlock(key: string, token: string): Promise<void> {
    if (this.locks.get(key)?.token === token) this.locks.delete(key);
  }

  async lookup(key: string, names: string[], lockTtlMs: number | null): Promise<Lookup> {
    const versions = await this.getVersions(names);
    if (versions.some((v) => v === null)) return { versions, value: null, token: null };
    const full = entryKey(key, versions as string[]);
    const value = await this.get(full);
    if (value !== null || lockTtlMs === null) return { versions, value, token: null };
    return { versions, value, token: await this.tryLock(full, lockTtlMs) };
  }

  async storeAndUnlock(key: string, value: string, ttlMs: number, token: string | null): Promise<void> {
    try {
      await this.set(key, value, ttlMs);
    } finally {
      if (token !== null) await this.unlock(key, token);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.bus?.close();
  }
}
