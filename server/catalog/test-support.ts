import type postgres from "postgres";
import { cacheKeyPrefix, closeCacheRuntime } from "../cache/index.ts";
import type { AppDeps } from "../core/deps.ts";
import type { TestInstance } from "../testing/harness.ts";

/**
 * Catalog test fixtures (used by the catalog, reviews, search and admin
 * tests): a small catalog inserted with SQL, cache counters and clean-up.
 */

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

/** Database loads counted by the cache layer for one cache name. */
export function loads(deps: AppDeps, cache: string): number {
  return deps.metrics.counter("cache_loads_total", "").get({ cache });
}

/** Stops the cache of `t` and deletes its Redis keys (tests leave nothing behind). */
export async function closeCatalogCache(t: TestInstance): Promise<void> {
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
