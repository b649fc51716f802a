import type { Hono } from "hono";
import { createTestDatabase, servicesRequired, type TestDatabase, testRedisUrl } from "../../db/testing.ts";
import { loadConfig } from "../../platform/config.ts";
import { createLogger } from "../../platform/logger.ts";
import { whenRedisReady } from "../../platform/redis.ts";
import { createApp } from "../app.ts";
import { closeDeps, createDeps } from "../bootstrap.ts";
import type { CartSettings } from "../cart/settings.ts";
import type { CheckoutFaults, CheckoutSettings } from "../checkout/settings.ts";
import type { AppDeps, AppEnv, RouteModule } from "../core/deps.ts";
import type { FraudSettings } from "../fraud/settings.ts";
import { appModules, loadDomainSettings, type ModuleOptions } from "../modules.ts";
import { defaultProviders, type ProviderRegistry } from "../payments/providers.ts";

/**
 * The one way tests assemble an app: the same `createDeps` and module list as
 * a real instance (server/instance.ts), on a fresh test database, from a
 * minimal explicit environment — never the caller's shell — so that no test
 * depends on what happens to be exported there.
 */

/** Request options of the in-process helper. */
export interface TestRequestInit extends RequestInit {
  /** Serialised as the JSON body, with its content type. */
  json?: unknown;
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** Sent as `X-Cart-Token`. */
  cart?: string;
  /** Sent as `Idempotency-Key`. */
  key?: string;
}

/** An app instance in this process. */
export interface TestInstance {
  app: Hono<AppEnv>;
  deps: AppDeps;
  request(path: string, init?: TestRequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The app under test, its database and the options its modules were built with. */
export interface TestApp extends TestInstance {
  database: TestDatabase;
  /** Admin SQL on the test database, for fixtures and assertions. */
  sql: TestDatabase["sql"];
  /** Settings and providers the modules were built with. */
  options: ModuleOptions;
  /** Another instance on the same database: own pools, Redis client, metrics and cache state. */
  instance(opts?: { redisUrl?: string | null }): TestInstance;
}

/** What a test may change. */
export interface TestAppOptions {
  /** Connect to Redis (REDIS_URL or the local server) when one answers. */
  redis?: boolean;
  /** Variables on top of the minimal test environment (shared config and settings groups). */
  env?: Record<string, string>;
  cart?: Partial<CartSettings>;
  checkout?: Partial<CheckoutSettings>;
  fraud?: Partial<FraudSettings>;
  providers?: ProviderRegistry;
  checkoutFaults?: CheckoutFaults;
  /** Replaces the module list (tests of the app contract mount their own probes). */
  modules?: RouteModule[];
  /** Mounted before the real module list (test-only routes beside the real ones). */
  extraModules?: RouteModule[];
  /** What /readyz asks to know whether the instance is draining (main.ts sets it on SIGTERM). */
  isDraining?: () => boolean;
}

function withHeaders(init: TestRequestInit): RequestInit {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.cart) headers.set("x-cart-token", init.cart);
  if (init.key) headers.set("idempotency-key", init.key);
  const { json: _j, token: _t, cart: _c, key: _k, ...rest } = init;
  return { ...rest, headers, body };
}

function instanceOf(deps: AppDeps, modules: RouteModule[], isDraining?: () => boolean): TestInstance {
  const app = createApp(deps, { modules, ...(isDraining ? { isDraining } : {}) });
  return {
    app,
    deps,
    request: (path, init = {}) => Promise.resolve(app.request(path, withHeaders(init))),
    close: () => closeDeps(deps),
  };
}

/**
 * An app on a fresh, migrated test database (real Postgres) and, with `redis`,
 * real Redis (REDIS_URL or the local server; with REQUIRE_SERVICES/CI a
 * missing Redis throws instead of falling back to the in-process stores).
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase("app");
  const redisUrl = opts.redis ? await testRedisUrl() : null;
  const env: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    DATABASE_URL: database.url,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...opts.env,
  };
  const config = loadConfig(env);
  const settings = loadDomainSettings(config, env);
  const options: ModuleOptions = {
    cart: { ...settings.cart, ...opts.cart },
    checkout: { ...settings.checkout, ...opts.checkout },
    fraud: { ...settings.fraud, ...opts.fraud },
    recommend: settings.recommend,
    forecast: settings.forecast,
    semantic: settings.semantic,
    vision: settings.vision,
    assistantLlm: settings.assistantLlm,
    providers: opts.providers ?? defaultProviders(env),
    checkoutFaults: opts.checkoutFaults,
  };
  const modules = opts.modules ?? [...(opts.extraModules ?? []), ...appModules(options)];
  const build = (cfg = config) => createDeps(cfg, "test", createLogger("silent"), env);
  const deps = build();
  // The client fails fast while connecting (no offline queue); tests start once it is up.
  // With REQUIRE_SERVICES/CI a Redis that never gets ready is an error, not a quiet fallback.
  if (deps.redis && !(await whenRedisReady(deps.redis, 5000)) && servicesRequired())
    throw new Error(`Redis is required (REQUIRE_SERVICES/CI) but ${redisUrl} never became ready`);
  const main = instanceOf(deps, modules, opts.isDraining);
  return {
    ...main,
    database,
    sql: database.sql,
    options,
    instance(o = {}) {
      const redis = o.redisUrl === undefined ? config.REDIS_URL : (o.redisUrl ?? undefined);
      return instanceOf(build(loadConfig({ ...env, REDIS_URL: redis ?? "" })), modules);
    },
    async close() {
      await main.close();
      await database.drop();
    },
  };
}
