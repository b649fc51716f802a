import type { Hono } from "hono";
import type postgres from "postgres";
import { createDatabase } from "../../db/client.ts";
import { jwtSecret } from "../../platform/config.ts";
import { createLogger } from "../../platform/logger.ts";
import { Registry } from "../../platform/metrics.ts";
import { createRedis } from "../../platform/redis.ts";
import { createApp } from "../app.ts";
import { cacheKeyPrefix, closeCacheRuntime } from "../cache/index.ts";
import type { AppDeps, AppEnv, RouteModule } from "../core/deps.ts";
import type { Role } from "../core/roles.ts";
import { signAccessToken } from "../core/tokens.ts";
import { databaseProbe } from "../ops/probes.ts";
import { requestJson, type TestApp } from "../testing.ts";

/**
 * Test fixtures shared by the catalog, reviews and admin tests: a small
 * catalog inserted with SQL, users with signed tokens, and a second app
 * instance on the same database and Redis with its own in-process state.
 */

/** Inserts a user with `role` and returns a bearer header for it. */
export async function userWithToken(
  t: TestApp,
  role: Role = "customer",
): Promise<{ id: number; headers: Record<string, string> }> {
  const email = `${role}.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const [row] = await t.database.sql<{ id: string }[]>`
    insert into users (email, password_hash, name, role) values (${email}, 'x', 'Test User', ${role})
    returning id`;
  const id = Number(row!.id);
  const token = signAccessToken({ id, email, role }, { secret: jwtSecret(t.deps.config), ttlSeconds: 600 });
  return { id, headers: { authorization: `Bearer ${token}` } };
}

/**
 * Categories electronics > phones > smartphones, plus home; products:
 * - `pixel-phone` (smartphones, Globex, variants 49900/59900, stock 10/0)
 * - `basic-phone` (phones, Acme, 9900, stock 3 = low)
 * - `desk-lamp` (home, Acme, 2500, stock 0)
 * created in that order (desk-lamp newest).
 */
export async function seedFixture(sql: postgres.Sql): Promise<void> {
  const [el] = await sql<{ id: string }[]>`
    insert into categories (slug, name, position) values ('electronics', 'Electronics', 1) returning id`;
  const [ph] = await sql<{ id: string }[]>`
    insert into categories (slug, name, parent_id, position) values ('phones', 'Phones', ${el!.id}, 1) returning id`;
  const [sm] = await sql<{ id: string }[]>`
    insert into categories (slug, name, parent_id) values ('smartphones', 'Smartphones', ${ph!.id}) returning id`;
  const [home] = await sql<{ id: string }[]>`
    insert into categories (slug, name, position) values ('home', 'Home', 2) returning id`;
  const product = async (
    slug: string,
    category: string,
    brand: string,
    ageMinutes: number,
    variants: [string, number, number][],
  ) => {
    const [p] = await sql<{ id: string }[]>`
      insert into products (slug, title, description, brand, category_id, images, created_at)
      values (${slug}, ${slug.replace("-", " ")}, 'A fine thing', ${brand}, ${category},
              ${sql.json([`https://img.example.com/${slug}.jpg`])}, now() - ${`${ageMinutes} minutes`}::interval)
      returning id`;
    let pos = 0;
    for (const [sku, price, stock] of variants) {
      await sql`insert into variants (product_id, sku, title, price, position)
                values (${p!.id}, ${sku}, ${`${sku} title`}, ${price}, ${pos++})`;
      await sql`insert into inventory (sku, quantity) values (${sku}, ${stock})`;
    }
  };
  await product("pixel-phone", sm!.id, "Globex", 30, [
    ["PIX-128", 49900, 10],
    ["PIX-256", 59900, 0],
  ]);
  await product("basic-phone", ph!.id, "Acme", 20, [["BAS-1", 9900, 3]]);
  await product("desk-lamp", home!.id, "Acme", 10, [["LAMP-1", 2500, 0]]);
}

/** Another app instance: its own pools, Redis client, metrics and cache state. */
export interface Instance {
  deps: AppDeps;
  app: Hono<AppEnv>;
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Builds a second instance on the same database (and Redis URL, if given) as `t`. */
export function secondInstance(t: TestApp, modules: RouteModule[], redisUrl?: string | null): Instance {
  const db = createDatabase({ primaryUrl: t.database.url, poolMax: 10, logger: createLogger("silent") });
  const redis = redisUrl ? createRedis(redisUrl) : null;
  const deps: AppDeps = {
    config: t.deps.config,
    db,
    logger: createLogger("silent"),
    metrics: new Registry(),
    redis,
    probes: [databaseProbe(db)],
  };
  const app = createApp(deps, { modules });
  return {
    deps,
    app,
    request: (path, init) => requestJson(app, path, init),
    async close() {
      await closeCacheRuntime(deps);
      redis?.disconnect();
      await db.close(1);
    },
  };
}

/** Database loads counted by the cache layer for one cache name. */
export function loads(deps: AppDeps, cache: string): number {
  return deps.metrics.counter("cache_loads_total", "").get({ cache });
}

/** Stops the cache of `t` and deletes its Redis keys (tests leave nothing behind). */
export async function closeCatalogCache(t: TestApp): Promise<void> {
  await closeCacheRuntime(t.deps);
  const redis = t.deps.redis;
  if (redis?.status !== "ready") return;
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${cacheKeyPrefix(t.deps)}*`, "COUNT", 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length) await redis.del(...keys);
}
