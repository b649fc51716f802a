import type Redis from "ioredis";
import type { Logger } from "./logger.ts";

export type { Redis };

/**
 * ioredis, loaded on the first client: it costs ~14 MB of resident memory,
 * which a process that never talks to Redis (the proxy with its rate limit
 * off) should not pay.
 */
function redisClass(): typeof Redis {
  return (require("ioredis") as { default: typeof Redis }).default;
}

/**
 * A Redis client that fails fast while Redis is down (no offline queue, one
 * retry per command) and keeps reconnecting in the background, so callers
 * can degrade instead of hanging.
 *
 * Auto-pipelining: commands issued in the same tick (concurrent requests'
 * cache lookups, write-fence reads, rate-limit scripts) go out in one socket
 * write and their replies are parsed in one pass. At 32 concurrent callers it
 * halved the client's CPU per 8 KB GET (17–19 → 9 µs); a lone caller pays
 * ~10 % more per command, and a lone command still goes out on the next
 * tick, so latency does not suffer (docs/catalog.md, "Cache").
 */
export function createRedis(url: string, logger?: Logger, name = "app"): Redis {
  const RedisClient = redisClass();
  const client = new RedisClient(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    lazyConnect: false,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  client.on("error", (err) => {
    if (!down) logger?.warn("redis unavailable", { err: err.message });
    down = true;
  });
  client.on("ready", () => {
    if (down) logger?.info("redis reconnected");
    down = false;
  });
  return client;
}

/** Resolves once the client is connected (or after `timeoutMs`, whichever is first). */
export async function whenRedisReady(client: Redis, timeoutMs = 2000): Promise<boolean> {
  if (client.status === "ready") return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once("ready", onReady);
  });
}

/** Deletes every key matching `pattern` (SCAN in batches, so a large keyspace is not blocked). */
export async function deleteKeysMatching(client: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length) deleted += await client.del(...keys);
  } while (cursor !== "0");
  return deleted;
}
