import type { Redis } from "../../platform/redis.ts";
import { type Cache, CacheUnavailableError } from "./cache.ts";

// Raise-to-max for each key; versions are fixed-width hex, so string order is numeric order.
const RAISE = `
for i, k in ipairs(KEYS) do
  local cur = redis.call('GET', k)
  if (not cur) or cur < ARGV[1] then redis.call('SET', k, ARGV[1], 'PX', ARGV[2])
  else redis.call('PEXPIRE', k, ARGV[2]) end
end
return #KEYS`;

/**
 * Generations expire after an hour untouched, so keys made by lookups of
 * unknown slugs (scanners) do not pile up. That is safe: a missing generation
 * restarts at the primary's current WAL position, which no stored entry can
 * claim; an hour is well above the 10-minute entry lifetime, so a busy key
 * costs at most one extra rebuild an hour.
 */
const VERSION_TTL_MS = 3600_000;

// Delete the lock only if we still own it (it may have expired and been retaken).
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The shared cache: every instance reads and bumps the same generations, so a
 * bump acknowledged by one instance is seen by all on their next read.
 * Commands fail fast while Redis is down (the client has no offline queue);
 * callers treat that as a miss and read the database.
 */
export class RedisCache implements Cache {
  readonly kind = "redis" as const;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private live(): Redis {
    // Skipping a client that is reconnecting saves a round of rejected commands per request.
    if (this.redis.status !== "ready") throw new CacheUnavailableError(`redis is ${this.redis.status}`);
    return this.redis;
  }

  private vkey(name: string): string {
    return `${this.prefix}v:${name}`;
  }

  async getVersions(names: string[]): Promise<(string | null)[]> {
    if (!names.length) return [];
    return this.live().mget(names.map((n) => this.vkey(n)));
  }

  async raiseVersions(names: string[], version: string): Promise<void> {
    if (!names.length) return;
    await this.live().eval(RAISE, names.length, ...names.map((n) => this.vkey(n)), version, VERSION_TTL_MS);
  }

  async initVersion(name: string, version: string): Promise<string> {
    const r = this.live();
    const set = await r.set(this.vkey(name), version, "PX", VERSION_TTL_MS, "NX");
    if (set === "OK") return version;
    return (await r.get(this.vkey(name))) ?? version;
  }

  async get(key: string): Promise<string | null> {
    return this.live().get(this.prefix + key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.live().set(this.prefix + key, value, "PX", ttlMs);
  }

  async tryLock(key: string, ttlMs: number): Promise<string | null> {
    const token = crypto.randomUUID();
    const ok = await this.live().set(`${this.prefix}lock:${key}`, token, "PX", ttlMs, "NX");
    return ok === "OK" ? token : null;
  }

  async unlock(key: string, token: string): Promise<void> {
    await this.live().eval(UNLOCK, 1, `${this.prefix}lock:${key}`, token);
  }

  async close(): Promise<void> {}
}
