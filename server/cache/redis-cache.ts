import type { Redis } from "../../platform/redis.ts";
import { type Cache, CacheUnavailableError, type Lookup } from "./cache.ts";

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
 * A cache-aside read in one round trip: the generations, then (when all
 * exist) the entry under them, then (on a miss, when ARGV[3] holds a token)
 * the rebuild lock. Being one script, nothing can store the entry between the
 * miss and the lock, so the lock's holder need not read again before loading.
 * KEYS: the generations. ARGV: entry key without its `@versions` suffix, the
 * lock key likewise, token ('' for none), lock lifetime in ms. Returns
 * {versions} when one is missing, {versions, entry} on a hit, else
 * {versions, false, 1 when the lock was taken}. The entry and lock keys are
 * built here, not passed in KEYS: fine on a single Redis, not on a cluster.
 */
const LOOKUP = `
local vs = {}
if #KEYS > 0 then vs = redis.call('MGET', unpack(KEYS)) end
for i = 1, #KEYS do
  if not vs[i] then return {vs} end
end
local suffix = '@' .. table.concat(vs, '.')
local value = redis.call('GET', ARGV[1] .. suffix)
if value then return {vs, value} end
if ARGV[3] ~= '' and redis.call('SET', ARGV[2] .. suffix, ARGV[3], 'PX', ARGV[4], 'NX') then
  return {vs, false, 1}
end
return {vs, false, 0}`;

// Store the entry, then release its lock if we still own it. KEYS: entry, lock. ARGV: value, ttl ms, token.
const STORE_UNLOCK = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1`;

/** A script run by its SHA1, so each call sends 40 bytes instead of its text. */
class Script {
  private readonly sha: string;
  constructor(private readonly body: string) {
    this.sha = new Bun.CryptoHasher("sha1").update(body).digest("hex");
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes("NOSCRIPT")) throw err;
      // Not in Redis's script cache (first use, or Redis restarted): EVAL loads it.
      return redis.eval(this.body, keys.length, ...keys, ...args);
    }
  }
}

const lookupScript = new Script(LOOKUP);
const storeUnlockScript = new Script(STORE_UNLOCK);

/**
 * Lock tokens: unique to this process (random part) and call (counter), and
 * cheaper than a UUID per lookup, most of which never take the lock.
 */
const tokenBase = `${crypto.randomUUID()}:`;
let tokenSeq = 0;

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

  async lookup(key: string, names: string[], lockTtlMs: number | null): Promise<Lookup> {
    const token = lockTtlMs === null ? "" : tokenBase + ++tokenSeq;
    const raw = (await lookupScript.run(
      this.live(),
      names.map((n) => this.vkey(n)),
      [this.prefix + key, `${this.prefix}lock:${key}`, token, lockTtlMs ?? 0],
    )) as [(string | null)[], (string | null)?, number?];
    return { versions: raw[0], value: raw[1] ?? null, token: raw[2] === 1 ? token : null };
  }

  async storeAndUnlock(key: string, value: string, ttlMs: number, token: string | null): Promise<void> {
    if (token === null) return this.set(key, value, ttlMs);
    await storeUnlockScript.run(
      this.live(),
      [this.prefix + key, `${this.prefix}lock:${key}`],
      [value, ttlMs, token],
    );
  }

  async close(): Promise<void> {}
}
