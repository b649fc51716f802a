import type { Hono } from "hono";
import { createTestDatabase, servicesRequired, type TestDatabase, testRedisUrl } from "../db/testing.ts";
import { loadConfig } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";
import { Registry } from "../platform/metrics.ts";
import { createRedis, type Redis, whenRedisReady } from "../platform/redis.ts";
import { type AppOptions, createApp } from "./app.ts";
import type { AppDeps, AppEnv } from "./core/deps.ts";
import { databaseProbe, queueProbe, redisProbe, searchProbe } from "./ops/probes.ts";

export interface TestApp {
  app: Hono<AppEnv>;
  deps: AppDeps;
  database: TestDatabase;
  /** Sends a request to the in-process app; `json` bodies are serialised. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** JSON-aware request helper for in-process apps: `json` is serialised with its content type. */
export function requestJson(
  app: Hono<AppEnv>,
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return Promise.resolve(app.request(path, { ...init, headers, body }));
}

/**
 * An app wired to a fresh test database (real Postgres) and, when `redis` is
 * true and a server answers, real Redis (with REQUIRE_SERVICES/CI a missing Redis
 * throws instead of falling back to the in-process stores). Used by the route tests of every module.
 */
export async function createTestApp(
  opts: AppOptions & { redis?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const poolMax = Number(opts.env?.DATABASE_POOL_MAX ?? 10);
  const database = await createTestDatabase("app", { poolMax });
  const redisUrl = opts.redis ? await testRedisUrl() : null;
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    DATABASE_URL: database.url,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...opts.env,
  });
  const redis: Redis | null = redisUrl ? createRedis(redisUrl) : null;
  // The client fails fast while connecting (no offline queue); tests start once it is up.
  if (redis && !(await whenRedisReady(redis, 5000)) && servicesRequired())
    throw new Error(`Redis is required (REQUIRE_SERVICES/CI) but ${redisUrl} never became ready`);
  const deps: AppDeps = {
    config,
    db: database.db,
    logger: createLogger("silent"),
    metrics: new Registry(),
    redis,
    probes: [databaseProbe(database.db), redisProbe(redis), queueProbe(undefined), searchProbe(undefined)],
  };
  const app = createApp(deps, opts);
  return {
    app,
    deps,
    database,
    request: (path, init) => requestJson(app, path, init),
    async close() {
      redis?.disconnect();
      await database.drop();
    },
  };
}
