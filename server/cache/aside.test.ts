import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createDatabase, type Database } from "../../db/client.ts";
import { testRedisUrl, testServerUrl } from "../../db/testing.ts";
import { createLogger } from "../../platform/logger.ts";
import { Registry } from "../../platform/metrics.ts";
import { createRedis, deleteKeysMatching, type Redis, whenRedisReady } from "../../platform/redis.ts";
import { type AsideOptions, CacheAside } from "./aside.ts";
import { type Cache, entryKey, lsnVersion, versionLsn } from "./cache.ts";
import { MemoryCache } from "./memory-cache.ts";
import { RedisCache } from "./redis-cache.ts";

setDefaultTimeout(60_000);

const redisUrl = await testRedisUrl();
let redis: Redis | null = null;
let db: Database;
// Each test file run gets its own key space, so runs in parallel never meet.
const prefix = `aside-test:${crypto.randomUUID().slice(0, 8)}:`;

beforeAll(async () => {
  // Only the primary's WAL position is read, so any database on the test server will do.
  db = createDatabase({ primaryUrl: await testServerUrl(), poolMax: 2, logger: createLogger("silent") });
  if (redisUrl) {
    redis = createRedis(redisUrl);
    expect(await whenRedisReady(redis, 5000)).toBe(true);
  }
});

afterAll(async () => {
  if (redis) {
    await deleteKeysMatching(redis, `${prefix}*`);
    redis.disconnect();
  }
  await db.close(1);
});

const silent = createLogger("silent");
let seq = 0;
/** A fresh key and fresh generation names, so tests never see each other's entries. */
function spec() {
  const n = ++seq;
  return { cache: "t", key: `item:${n}`, generations: [`ga${n}`, `gb${n}`] };
}

function aside(cache: Cache, opts: AsideOptions = {}) {
  const metrics = new Registry();
  const a = new CacheAside(cache, db, metrics, silent, { pollMs: 5, ...opts });
  const count = (result: string) => metrics.counter("cache_requests_total", "").get({ cache: "t", result });
  const loads = () => metrics.counter("cache_loads_total", "").get({ cache: "t" });
  return { a, count, loads };
}

const implementations: [string, () => Cache][] = [
  ["memory", () => new MemoryCache()],
  ["redis", () => new RedisCache(redis!, prefix)],
];

for (const [kind, make] of implementations) {
  const skip = kind === "redis" && !redisUrl;
  describe(`${kind} cache`, () => {
    test.skipIf(skip)(
      "lookup: nothing before the generations exist, then a miss that takes the lock, then a hit",
      async () => {
        const cache = make();
        const s = spec();
        const none = await cache.lookup(s.key, s.generations, 5_000);
        expect(none).toEqual({ versions: [null, null], value: null, token: null });
        // No lock may be taken when the entry's key is not known yet.
        const versions = ["00000000000000a0", "00000000000000b0"];
        for (const [i, g] of s.generations.entries()) await cache.initVersion(g, versions[i]!);
        const miss = await cache.lookup(s.key, s.generations, 5_000);
        expect(miss.versions).toEqual(versions);
        expect(miss.value).toBeNull();
        expect(miss.token).not.toBeNull();
        // The lock is held now: a second lookup misses without it.
        const second = await cache.lookup(s.key, s.generations, 5_000);
        expect(second.token).toBeNull();
        await cache.storeAndUnlock(entryKey(s.key, versions), "v1", 60_000, miss.token);
        expect(await cache.tryLock(entryKey(s.key, versions), 5_000)).not.toBeNull();
        const hit = await cache.lookup(s.key, s.generations, 5_000);
        expect(hit).toEqual({ versions, value: "v1", token: null });
        // Without a lock lifetime, a miss takes no lock.
        await cache.raiseVersions([s.generations[0]!], "00000000000000c0");
        expect((await cache.lookup(s.key, s.generations, null)).token).toBeNull();
      },
    );

    test.skipIf(skip)("storeAndUnlock stores but leaves a lock held by another token alone", async () => {
      const cache = make();
      const full = entryKey(`item:${++seq}`, ["00000000000000a0"]);
      const theirs = await cache.tryLock(full, 5_000);
      expect(theirs).not.toBeNull();
      await cache.storeAndUnlock(full, "mine", 60_000, "not-their-token");
      expect(await cache.get(full)).toBe("mine");
      expect(await cache.tryLock(full, 5_000)).toBeNull();
      await cache.storeAndUnlock(full, "theirs", 60_000, theirs);
      expect(await cache.get(full)).toBe("theirs");
      expect(await cache.tryLock(full, 5_000)).not.toBeNull();
    });

    test.skipIf(skip)("a missing generation starts at the primary's current position", async () => {
      const { a, loads } = aside(make());
      const s = spec();
      const before = await db.currentLsn();
      const seen: (bigint | null)[] = [];
      const value = await a.fetch(s, async (minLsn) => {
        seen.push(minLsn);
        return "built";
      });
      expect(value).toBe("built");
      expect(loads()).toBe(1);
      expect(seen[0]).not.toBeNull();
      expect(seen[0]! >= before).toBe(true);
      const versions = await a.cache.getVersions(s.generations);
      expect(versions).toEqual([lsnVersion(seen[0]!), lsnVersion(seen[0]!)]);
      expect(await a.fetch(s, async () => "again")).toBe("built");
      expect(loads()).toBe(1);
    });

    test.skipIf(skip)(
      "a raise makes the entry unreachable; the rebuild reads at least at the raise",
      async () => {
        const { a, count, loads } = aside(make());
        const s = spec();
        expect(await a.fetch(s, async () => "old")).toBe("old");
        const [v] = await a.cache.getVersions(s.generations);
        const raised = lsnVersion(versionLsn(v!) + 1000n);
        await a.cache.raiseVersions([s.generations[1]!], raised);
        let floor: bigint | null = null;
        const value = await a.fetch(s, async (minLsn) => {
          floor = minLsn;
          return "new";
        });
        expect(value).toBe("new");
        expect(floor as bigint | null).toBe(versionLsn(raised));
        expect(await a.fetch(s, async () => "unused")).toBe("new");
        expect([count("miss"), count("hit"), loads()]).toEqual([2, 1, 2]);
      },
    );

    test.skipIf(skip)("concurrent misses in one process share one load and leave the lock free", async () => {
      const { a, count, loads } = aside(make());
      const s = spec();
      await a.fetch({ ...s, key: `${s.key}:warm` }, async () => "w"); // records the generations
      const values = await Promise.all(
        Array.from({ length: 10 }, () => a.fetch(s, async () => Bun.sleep(30).then(() => "shared"))),
      );
      expect(new Set(values)).toEqual(new Set(["shared"]));
      expect(loads()).toBe(2);
      expect(count("coalesced")).toBe(9);
      const versions = (await a.cache.getVersions(s.generations)) as string[];
      expect(await a.cache.tryLock(entryKey(s.key, versions), 5_000)).not.toBeNull();
    });

    test.skipIf(skip)("a failed load releases the lock, so the next request rebuilds at once", async () => {
      const { a, loads } = aside(make());
      const s = spec();
      await a.fetch({ ...s, key: `${s.key}:warm` }, async () => "w");
      await expect(
        a.fetch(s, async () => {
          throw new Error("database said no");
        }),
      ).rejects.toThrow("database said no");
      await Bun.sleep(20); // the release is not awaited by the failing request
      const started = Date.now();
      expect(await a.fetch(s, async () => "second")).toBe("second");
      expect(Date.now() - started).toBeLessThan(1_000); // did not wait out another holder
      expect(loads()).toBe(3);
    });
  });
}

describe("across instances (Redis)", () => {
  test.skipIf(!redisUrl)(
    "a miss under another instance's lock waits for its entry instead of loading",
    async () => {
      const other = new RedisCache(redis!, prefix);
      const { a, count, loads } = aside(new RedisCache(redis!, prefix));
      const s = spec();
      await a.fetch({ ...s, key: `${s.key}:warm` }, async () => "w");
      const versions = (await other.getVersions(s.generations)) as string[];
      const full = entryKey(s.key, versions);
      const token = await other.tryLock(full, 5_000);
      expect(token).not.toBeNull();
      const waiting = a.fetch(s, async () => "loaded here");
      await Bun.sleep(100);
      await other.storeAndUnlock(full, "built elsewhere", 60_000, token);
      expect(await waiting).toBe("built elsewhere");
      expect(count("waited")).toBe(1);
      expect(loads()).toBe(1); // only the warm-up
    },
  );

  test.skipIf(!redisUrl)(
    "a waiter gives up after waitMs and loads itself; the holder's lock stays",
    async () => {
      const other = new RedisCache(redis!, prefix);
      const { a, loads } = aside(new RedisCache(redis!, prefix), { waitMs: 100 });
      const s = spec();
      await a.fetch({ ...s, key: `${s.key}:warm` }, async () => "w");
      const full = entryKey(s.key, (await other.getVersions(s.generations)) as string[]);
      expect(await other.tryLock(full, 5_000)).not.toBeNull();
      expect(await a.fetch(s, async () => "own")).toBe("own");
      expect(loads()).toBe(2);
      expect(await other.get(full)).toBe("own");
      expect(await other.tryLock(full, 5_000)).toBeNull();
    },
  );
});

describe("Redis down", () => {
  test("every fetch is served from the database and counted as a bypass", async () => {
    // Port 1: nothing listens there, so the client never becomes ready.
    const dead = createRedis("redis://127.0.0.1:1");
    dead.on("error", () => {});
    try {
      const { a, count, loads } = aside(new RedisCache(dead, prefix));
      const s = spec();
      expect(await a.fetch(s, async () => "from db")).toBe("from db");
      expect(await a.fetch(s, async () => "from db again")).toBe("from db again");
      expect(count("bypass")).toBe(2);
      expect(loads()).toBe(2);
    } finally {
      dead.disconnect();
    }
  });
});
