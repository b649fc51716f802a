import type postgres from "postgres";
import type { Sql, TxSql } from "../../db/client.ts";

/** Scores of candidate products. */
export type Scores = Map<number, number>;

/** Baskets larger than this count only their first products (pairs grow quadratically). */
export const MAX_BASKET = 30;
const EPOCH_MS = Date.UTC(2020, 0, 1);

/**
 * The weight one order adds at time `at`: exp(λ·(t − t₀)) with λ = ln 2 / half-life.
 * Comparing weights accumulated this way equals comparing weights decayed to
 * any common "now", so stored weights never need rewriting as time passes.
 */
export function decayedIncrement(at: Date, halfLifeDays: number): number {
  const days = (at.getTime() - EPOCH_MS) / 86_400_000;
  return Math.exp((Math.LN2 / halfLifeDays) * days);
}

/**
 * Counts one paid order: popularity of each product and co-occurrence of every
 * pair. Idempotent per order id (a redelivered event changes nothing); false
 * when the order was counted before.
 */
export async function addOrder(
  tx: TxSql,
  order: { orderId: string; userId: number; productIds: number[]; paidAt: Date },
  halfLifeDays: number,
): Promise<boolean> {
  const ids = [...new Set(order.productIds)].slice(0, MAX_BASKET).sort((a, b) => a - b);
  const inserted = await tx`
    insert into rec_orders (order_id, user_id, product_ids, paid_at)
    values (${order.orderId}, ${order.userId}, ${ids}::bigint[], ${order.paidAt})
    on conflict (order_id) do nothing returning order_id`;
  if (!inserted.length || !ids.length) return inserted.length > 0;
  const inc = decayedIncrement(order.paidAt, halfLifeDays);
  await tx`
    insert into rec_items (product_id, weight, orders)
    select unnest(${ids}::bigint[]), ${inc}, 1
    on conflict (product_id) do update set weight = rec_items.weight + excluded.weight, orders = rec_items.orders + 1`;
  if (ids.length < 2) return true;
  const a: number[] = [];
  const b: number[] = [];
  for (const x of ids)
    for (const y of ids)
      if (x !== y) {
        a.push(x);
        b.push(y);
      }
  await tx`
    insert into rec_pairs (product_id, other_id, weight, support)
    select x, y, ${inc}, 1 from unnest(${a}::bigint[], ${b}::bigint[]) as t(x, y)
    on conflict (product_id, other_id) do update
      set weight = rec_pairs.weight + excluded.weight, support = rec_pairs.support + 1`;
  return true;
}

/**
 * How co-occurrence is normalised: `cosine`, w(a,b) / √(w(a)·w(b)), does not
 * favour a product for being popular (what goes with THIS product);
 * `conditional`, w(a,b) / w(a) — the share of a's orders that hold b — keeps
 * popularity in (what the customer is likely to buy next).
 */
export type CoPurchaseMeasure = "cosine" | "conditional";

/**
 * Products bought together with any of `seeds`, from decayed co-occurrence
 * normalised by `measure`; pairs seen in fewer than `minSupport` orders are
 * ignored. Scores of several seeds add up.
 */
export async function coPurchaseScores(
  sql: Sql | TxSql,
  seeds: number[],
  minSupport: number,
  limit: number,
  measure: CoPurchaseMeasure = "cosine",
): Promise<Scores> {
  if (!seeds.length) return new Map();
  const cosine = measure === "cosine";
  // Driven from the seeds' rec_items rows (a seq scan of rec_items was the plan when it
  // started from rec_pairs); the other side's popularity only for the cosine.
  const rows = await sql<{ id: string; score: number }[]>`
    select p.other_id as id,
           sum(p.weight / ${cosine ? sql`sqrt(ia.weight * ib.weight)` : sql`ia.weight`})::float8 as score
    from rec_items ia
    join rec_pairs p on p.product_id = ia.product_id
    ${cosine ? sql`join rec_items ib on ib.product_id = p.other_id` : sql``}
    where ia.product_id = any(${seeds}::bigint[]) and p.support >= ${minSupport}
    group by p.other_id
    order by score desc, p.other_id
    limit ${limit}`;
  return new Map(rows.map((r) => [Number(r.id), r.score]));
}

/** The most popular products (decayed order counts), best first. */
export async function popularProducts(sql: Sql | TxSql, limit: number): Promise<Scores> {
  const rows = await sql<{ id: string; weight: number }[]>`
    select product_id as id, weight from rec_items order by weight desc, product_id limit ${limit}`;
  return new Map(rows.map((r) => [Number(r.id), r.weight]));
}

/** Content-similar products of any of `seeds`, scores added up. */
export async function similarScores(sql: Sql | TxSql, seeds: number[], limit: number): Promise<Scores> {
  if (!seeds.length) return new Map();
  const rows = await sql<{ id: string; score: number }[]>`
    select similar_id as id, sum(score)::float8 as score from rec_similar
    where product_id = any(${seeds}::bigint[])
    group by similar_id order by score desc, similar_id limit ${limit}`;
  return new Map(rows.map((r) => [Number(r.id), r.score]));
}

/**
 * Replaces the similar list of `productId` and offers it to each neighbour's
 * list (similarity is symmetric), keeping every list at its best `k`.
 */
export async function saveSimilar(
  tx: TxSql,
  productId: number,
  similar: { id: number; score: number }[],
  k: number,
): Promise<void> {
  await tx`delete from rec_similar where product_id = ${productId}`;
  if (!similar.length) return;
  const ids = similar.map((s) => s.id);
  const scores = similar.map((s) => s.score);
  await tx`
    insert into rec_similar (product_id, similar_id, score)
    select ${productId}, x, s from unnest(${ids}::bigint[], ${scores}::real[]) as t(x, s)
    union all
    select x, ${productId}, s from unnest(${ids}::bigint[], ${scores}::real[]) as t(x, s)
    on conflict (product_id, similar_id) do update set score = excluded.score`;
  await tx`
    delete from rec_similar r using (
      select product_id, similar_id,
             row_number() over (partition by product_id order by score desc, similar_id) as n
      from rec_similar where product_id = any(${ids}::bigint[])
    ) ranked
    where r.product_id = ranked.product_id and r.similar_id = ranked.similar_id and ranked.n > ${k}`;
}

/** Drops a product from every similar list (it was archived). */
export async function forgetSimilar(tx: TxSql, productId: number): Promise<void> {
  await tx`delete from rec_similar where product_id = ${productId} or similar_id = ${productId}`;
}

/** Records that a signed-in customer looked at a product; keeps their latest 50 views. */
export async function addView(sql: Sql, userId: number, productId: number): Promise<void> {
  await sql`
    insert into rec_views (user_id, product_id) values (${userId}, ${productId})
    on conflict (user_id, product_id) do update set viewed_at = now()`;
  await sql`
    delete from rec_views where user_id = ${userId} and product_id in (
      select product_id from rec_views where user_id = ${userId} order by viewed_at desc offset 50)`;
}

/** A customer's recent history: products bought (latest 20 orders) and viewed (latest 20). */
export async function customerHistory(
  sql: Sql | TxSql,
  userId: number,
): Promise<{ bought: number[]; viewed: number[] }> {
  const [orders, views] = await Promise.all([
    sql<{ product_ids: string[] }[]>`
      select product_ids from rec_orders where user_id = ${userId} order by paid_at desc limit 20`,
    sql<{ product_id: string }[]>`
      select product_id from rec_views where user_id = ${userId} order by viewed_at desc limit 20`,
  ]);
  return {
    bought: [...new Set(orders.flatMap((o) => o.product_ids.map(Number)))],
    viewed: views.map((v) => Number(v.product_id)),
  };
}

/**
 * For-you in one statement: the customer's history (latest 20 orders and 20
 * views) becomes seeds; co-purchase scores of what they bought (weight 1) and
 * viewed (0.5), each cut to its best 200 as `coPurchaseScores` does, half the
 * content similarity of all seeds (best 200) and the given popularity prior
 * are added up, what they bought is left out, and the best `k` come back.
 * One round trip and `k` rows instead of six statements and ~600 rows: the
 * app's CPU for a miss was mostly writing those statements and parsing rows.
 * `seeded` is false when the customer has no history (then the ids are the
 * prior alone).
 */
export async function forYouScores(
  sql: Sql | TxSql,
  userId: number,
  minSupport: number,
  k: number,
  measure: CoPurchaseMeasure,
  prior: Scores,
): Promise<{ seeded: boolean; ids: number[] }> {
  const norm = measure === "cosine" ? sql`sqrt(ia.weight * ib.weight)` : sql`ia.weight`;
  const join = measure === "cosine" ? sql`join rec_items ib on ib.product_id = p.other_id` : sql``;
  const co = (seeds: string) => sql`
    select p.other_id as id, sum(p.weight / ${norm})::float8 as score
    from rec_items ia
    join rec_pairs p on p.product_id = ia.product_id
    ${join}
    where ia.product_id in (select id from ${sql(seeds)}) and p.support >= ${minSupport}
    group by p.other_id
    order by score desc, p.other_id
    limit 200`;
  const rows = await sql<{ id: string | null; seeded: boolean }[]>`
    with bought as (
      select distinct unnest(product_ids) as id
      from (select product_ids from rec_orders where user_id = ${userId} order by paid_at desc limit 20) o
    ),
    viewed as (
      select product_id as id from rec_views where user_id = ${userId} order by viewed_at desc limit 20
    ),
    bought_co as (${co("bought")}),
    viewed_co as (${co("viewed")}),
    alike as (
      select similar_id as id, sum(score)::float8 as score from rec_similar
      where product_id in (select id from bought union select id from viewed)
      group by similar_id order by score desc, similar_id limit 200
    ),
    candidates as (
      select id, score from bought_co
      union all select id, 0.5 * score from viewed_co
      union all select id, 0.5 * score from alike
      union all select unnest(${[...prior.keys()]}::bigint[]), unnest(${[...prior.values()]}::float8[])
    ),
    ranked as (
      select id, sum(score) as score from candidates
      where id not in (select id from bought)
      group by id order by score desc, id limit ${k}
    )
    select r.id, exists (select 1 from bought union all select 1 from viewed) as seeded
    from (select 1) one left join ranked r on true
    order by r.score desc, r.id`;
  return {
    seeded: rows[0]?.seeded ?? false,
    ids: rows.flatMap((r) => (r.id === null ? [] : [Number(r.id)])),
  };
}

/** A customer's for-you list as ranked ahead of time (migration 0106). */
export interface StoredForYou {
  ids: number[];
  strategy: "for_you" | "popular";
  rankedAt: Date;
}

/** The customer's stored for-you list, or null (never ranked, or removed by a view). */
export async function loadForYou(sql: Sql | TxSql, userId: number): Promise<StoredForYou | null> {
  const [row] = await sql<{ product_ids: string[]; strategy: StoredForYou["strategy"]; ranked_at: Date }[]>`
    select product_ids, strategy, ranked_at from rec_for_you where user_id = ${userId}`;
  return row ? { ids: row.product_ids.map(Number), strategy: row.strategy, rankedAt: row.ranked_at } : null;
}

/** Stores (replaces) the customer's for-you list. */
export async function saveForYou(
  sql: Sql | TxSql,
  userId: number,
  list: { ids: number[]; strategy: StoredForYou["strategy"] },
): Promise<void> {
  await sql`
    insert into rec_for_you (user_id, product_ids, strategy, ranked_at)
    values (${userId}, ${list.ids}::bigint[], ${list.strategy}, now())
    on conflict (user_id) do update
      set product_ids = excluded.product_ids, strategy = excluded.strategy, ranked_at = excluded.ranked_at`;
}

/** Removes the customer's stored list (their history changed: the next read ranks it again). */
export async function dropForYou(sql: Sql | TxSql, userId: number): Promise<void> {
  await sql`delete from rec_for_you where user_id = ${userId}`;
}

/** Customers with orders or views, by id after `after` (for a full rebuild of the stored lists). */
export async function customersWithHistory(
  sql: Sql | TxSql,
  after: number,
  limit: number,
): Promise<number[]> {
  const rows = await sql<{ user_id: string }[]>`
    select user_id from (
      select user_id from rec_orders where user_id > ${after}
      union select user_id from rec_views where user_id > ${after}) u
    order by user_id limit ${limit}`;
  return rows.map((r) => Number(r.user_id));
}

/**
 * One product's bought-together (`cosine` co-purchase, pairs below
 * `minSupport` ignored) or similar list, best `limit` first, with the product
 * named by an SQL expression for its id (the catalog's `activeProductIdSql`):
 * the lookup and the ranking in one statement. `seed` null: no such product.
 * The ranking itself is a PL/pgSQL function (migration 0108): Postgres keeps
 * its plan per connection, where this statement as one query was planned on
 * every call (0.8 ms of planning for 0.14 ms of execution on the 100k catalog).
 */
export async function rankForProduct(
  sql: Sql | TxSql,
  seedId: postgres.PendingQuery<postgres.Row[]>,
  what: "bought_together" | "similar",
  minSupport: number,
  limit: number,
): Promise<{ seed: number | null; ids: number[] }> {
  // One seed: every (product, other) pair is one row, so no sums are needed (as coPurchaseScores and similarScores give).
  const ranked =
    what === "bought_together"
      ? sql`rec_bought_together(s.id, ${minSupport}::int, ${limit}::int)`
      : sql`rec_similar_to(s.id, ${limit}::int)`;
  const rows = await sql<{ seed: string | null; id: string | null }[]>`
    select s.id as seed, r.other_id as id from (select ${seedId} as id) s
    left join lateral ${ranked} r on true
    order by r.score desc, r.other_id`;
  const seed = rows[0]?.seed ?? null;
  return {
    seed: seed === null ? null : Number(seed),
    ids: rows.flatMap((r) => (r.id === null ? [] : [Number(r.id)])),
  };
}
