import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Sql } from "../../db/client.ts";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { activeProductIdSql } from "../catalog/content.ts";
import { prng } from "../fraud/testing.ts";
import { rankForProduct } from "./store.ts";

setDefaultTimeout(120_000);

/**
 * `rankForProduct` through the PL/pgSQL functions of migration 0108 against
 * the statements it replaced (kept here as the reference), on random
 * co-purchase and similar data with many tied scores: the same ids in the
 * same order for every product, limit and minimum support.
 */

let d: TestDatabase;
let sql: Sql;
const slugs: string[] = [];

/** The statement `rankForProduct` sent before migration 0108 (planned on every call). */
async function reference(
  slug: string,
  what: "bought_together" | "similar",
  minSupport: number,
  limit: number,
) {
  const seedId = activeProductIdSql(sql, slug);
  const ranked =
    what === "bought_together"
      ? sql`
        select p.other_id as id, (p.weight / sqrt(ia.weight * ib.weight))::float8 as score
        from rec_items ia
        join rec_pairs p on p.product_id = ia.product_id
        join rec_items ib on ib.product_id = p.other_id
        where ia.product_id = s.id and p.support >= ${minSupport}
        order by score desc, p.other_id limit ${limit}`
      : sql`
        select similar_id as id, score::float8 as score from rec_similar
        where product_id = s.id and similar_id <> s.id
        order by score desc, similar_id limit ${limit}`;
  const rows = await sql<{ seed: string | null; id: string | null }[]>`
    select s.id as seed, r.id from (select ${seedId} as id) s
    left join lateral (${ranked}) r on true
    order by r.score desc, r.id`;
  const seed = rows[0]?.seed ?? null;
  return {
    seed: seed === null ? null : Number(seed),
    ids: rows.flatMap((r) => (r.id === null ? [] : [Number(r.id)])),
  };
}

beforeAll(async () => {
  d = await createTestDatabase("recrank");
  sql = d.db.primary;
  const [cat] = await sql<
    { id: string }[]
  >`insert into categories (slug, name) values ('c', 'C') returning id`;
  const ids: number[] = [];
  for (let i = 0; i < 60; i++) {
    const slug = `p-${i}`;
    const status = i % 13 === 5 ? "archived" : "active";
    const [row] = await sql<{ id: string }[]>`
      insert into products (slug, title, category_id, status) values (${slug}, ${slug}, ${cat!.id}, ${status})
      returning id`;
    ids.push(Number(row!.id));
    slugs.push(slug);
  }
  const rnd = prng(7);
  // Few distinct weights and supports: many exact ties, so the id tie-break is exercised.
  const weight = () => 1 + Math.floor(rnd() * 3);
  for (const id of ids)
    await sql`insert into rec_items (product_id, weight, orders) values (${id}, ${weight()}, 1)`;
  for (const a of ids)
    for (const b of ids)
      if (a < b && rnd() < 0.35) {
        const w = weight();
        const support = 1 + Math.floor(rnd() * 3);
        await sql`
          insert into rec_pairs (product_id, other_id, weight, support)
          values (${a}, ${b}, ${w}, ${support}), (${b}, ${a}, ${w}, ${support})`;
      }
  for (const a of ids)
    for (const b of ids)
      if (rnd() < 0.3) {
        // A product listed as its own neighbour must still be left out.
        await sql`
          insert into rec_similar (product_id, similar_id, score)
          values (${a}, ${b}, ${Math.floor(rnd() * 4) / 4})`;
      }
});
afterAll(() => d?.drop());

test("bought together and similar through the 0108 functions equal the statements they replaced", async () => {
  let nonEmpty = 0;
  for (const slug of [...slugs, "no-such-product"])
    for (const limit of [1, 3, 10, 50]) {
      for (const minSupport of [1, 2, 3]) {
        const got = await rankForProduct(
          sql,
          activeProductIdSql(sql, slug),
          "bought_together",
          minSupport,
          limit,
        );
        expect(got).toEqual(await reference(slug, "bought_together", minSupport, limit));
        if (got.ids.length) nonEmpty++;
      }
      const got = await rankForProduct(sql, activeProductIdSql(sql, slug), "similar", 2, limit);
      expect(got).toEqual(await reference(slug, "similar", 2, limit));
    }
  expect(nonEmpty).toBeGreaterThan(100);
  // archived and unknown products: no seed
  expect((await rankForProduct(sql, activeProductIdSql(sql, "p-5"), "similar", 2, 5)).seed).toBeNull();
});

test("migration 0108: the functions keep generic plans of their own, the session setting is untouched", async () => {
  const rows = await sql<{ name: string; config: string[] | null; lang: string }[]>`
    select p.proname as name, p.proconfig as config, l.lanname as lang
    from pg_proc p join pg_language l on l.oid = p.prolang
    where p.proname in ('rec_bought_together', 'rec_similar_to') order by 1`;
  expect([...rows]).toEqual([
    { name: "rec_bought_together", config: ["plan_cache_mode=force_generic_plan"], lang: "plpgsql" },
    { name: "rec_similar_to", config: ["plan_cache_mode=force_generic_plan"], lang: "plpgsql" },
  ]);
  const [mode] = await sql.begin(async (tx) => {
    await tx`select * from rec_bought_together(1, 2, 10)`;
    return tx<{ plan_cache_mode: string }[]>`show plan_cache_mode`;
  });
  expect(mode!.plan_cache_mode).toBe("auto");
});
