/**
 * The key-value cache the catalog reads through. Two implementations sit
 * behind it (Redis, shared by every instance; in-process, for zero-config
 * runs) and nothing outside server/cache knows which one it got.
 *
 * Besides plain entries it holds *generations*: named version stamps that
 * writers raise after they commit. Entries are stored under keys that embed
 * the generations they were built from, so raising a generation makes every
 * older entry unreachable at once (no key scans, no delete races).
 */
export interface Cache {
  readonly kind: "redis" | "memory";
  /** Current value of each named generation, or null where none is recorded yet. */
  getVersions(names: string[]): Promise<(string | null)[]>;
  /**
   * Raises each named generation to at least `version` (never lowers one), and
   * makes other instances learn of it. Versions compare as fixed-width strings.
   */
  raiseVersions(names: string[], version: string): Promise<void>;
  /** Records `version` for `name` unless one exists; returns the one in force. */
  initVersion(name: string, version: string): Promise<string>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Takes a lock that expires by itself after `ttlMs`; returns its token, or null if held. */
  tryLock(key: string, ttlMs: number): Promise<string | null>;
  /** Releases a lock if `token` still owns it. */
  unlock(key: string, token: string): Promise<void>;
  /**
   * The read of a cache-aside fetch in one step: the generations of `names`
   * and, when all exist, the entry `key@v1.v2…` (see `entryKey`); on a miss
   * with `lockTtlMs` given, also tries that entry's rebuild lock. One round
   * trip for Redis, where the separate calls above would take up to four.
   */
  lookup(key: string, names: string[], lockTtlMs: number | null): Promise<Lookup>;
  /** Stores an entry and, when `token` is given, releases its lock if `token` still owns it. */
  storeAndUnlock(key: string, value: string, ttlMs: number, token: string | null): Promise<void>;
  /** Stops background work (listeners); does not close shared clients. */
  close(): Promise<void>;
}

/** What `Cache.lookup` found. */
export interface Lookup {
  /** Each generation's value, null where none is recorded (then nothing else was read). */
  versions: (string | null)[];
  /** The entry under the generations read, or null. */
  value: string | null;
  /** The rebuild lock's token when the lookup missed and took it; null otherwise. */
  token: string | null;
}

/** The key an entry is stored under: its own key with the generations it was built from. */
export function entryKey(key: string, versions: readonly string[]): string {
  return `${key}@${versions.join(".")}`;
}

/** Raised by a cache that cannot answer right now; callers fall back to the database. */
export class CacheUnavailableError extends Error {
  constructor(reason: string) {
    super(`cache unavailable: ${reason}`);
    this.name = "CacheUnavailableError";
  }
}

/**
 * A WAL position as a generation value: 16 hex digits, so that string order
 * is numeric order (Lua in Redis compares strings safely; its numbers are
 * doubles and would lose precision).
 */
export function lsnVersion(lsn: bigint): string {
  return lsn.toString(16).padStart(16, "0");
}

/** The WAL position a generation value stands for. */
export function versionLsn(version: string): bigint {
  return BigInt(`0x${version}`);
}
