import Redis from "ioredis";
import type { Logger } from "./logger.ts";

export type { Redis };

/**
 * A Redis client that fails fast while Redis is down (no offline queue, one
 * retry per command) and keeps reconnecting in the background, so callers
 * can degrade instead of hanging.
 */
export function createRedis(url: string, logger?: Logger, name = "app"): Redis {
  const client = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    lazyConnect: false,
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
