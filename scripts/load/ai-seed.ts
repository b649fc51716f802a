/**
 * Recommender data for the AI benchmark (scripts/load/ai.ts) on a seeded
 * catalog: generated paid orders counted into rec_orders / rec_items /
 * rec_pairs with the recommender's own decay, and a similar list for every
 * product. Written in bulk (unnest arrays), never through the consumer: the
 * benchmark measures serving, and 30k orders one transaction at a time would
 * take minutes.
 */

import type postgres from "postgres";
import { mulberry32 } from "../../platform/prng.ts";
import { rebuildForYou } from "../../server/recommend/for-you.ts";
import { decayedIncrement, MAX_BASKET } from "../../server/recommend/store.ts";

/** What was written. */
export interface RecommendSeed {
  orders: number;
  pairs: number;
  customers: number[];
  ms: number;
}

/** A seeded generator (mulberry32): the same options give the same orders. */
export const random = mulberry32;

/** Samples ranks 0..n-1 with probability ∝ 1/(rank+1)^s (binary search over the cumulative weights). */
export function zipf(n: number, s: number, rnd: () => number): () => number {
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1) ** s;
    cum[i] = total;
  }
  return () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Customer ids of the generated orders: far above real user ids, so they never mix with real accounts. */
export const CUSTOMER_ID_BASE = 1_000_000_000;

/**
 * Writes `orders` generated paid orders over the last 180 days: Zipf product
 * popularity, 3000 planted bundles of 2–3 products (60 % of orders hold one),
 * 0–2 extra products per order, `customers` customers. Then a similar list of
 * 10 per product: its neighbours in id order within its category (a stand-in
 * for the TF-IDF lists, whose full rebuild over 100k products takes long; the
 * serving cost — one indexed read of 10 rows — is the same). Last, every
 * customer's stored for-you list (rebuildForYou), as the consumer keeps them.
 */
export async function seedRecommendations(
  sql: postgres.Sql,
  opts: { orders: number; customers: number; halfLifeDays?: number; minSupport?: number; seed?: number },
): Promise<RecommendSeed> {
  const started = performance.now();
  const rnd = random(opts.seed ?? 16);
  const products = (
    await sql<{ id: string }[]>`select id from products where status = 'active' order by id`
  ).map((r) => Number(r.id));
  // Popularity ranks over a shuffled catalog (popular products are not the oldest ones).
  for (let i = products.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [products[i], products[j]] = [products[j]!, products[i]!];
  }
  const popular = zipf(products.length, 0.9, rnd);
  const bundles = Array.from({ length: 3000 }, () =>
    Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => products[Math.floor(rnd() * 20_000)]!),
  );
  const bundle = zipf(bundles.length, 0.8, rnd);
  const now = Date.now();
  const items = new Map<number, { w: number; n: number }>();
  const pairs = new Map<number, { w: number; n: number }>();
  const orderIds: string[] = [];
  const users: number[] = [];
  const paid: string[] = [];
  const baskets: string[] = [];
  for (let o = 0; o < opts.orders; o++) {
    const basket = new Set<number>();
    if (rnd() < 0.6) for (const p of bundles[bundle()]!) basket.add(p);
    const extra = basket.size ? Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * 2);
    for (let e = 0; e < extra; e++) basket.add(products[popular()]!);
    const ids = [...basket].slice(0, MAX_BASKET).sort((a, b) => a - b);
    const at = new Date(now - rnd() * 180 * 86_400_000);
    const inc = decayedIncrement(at, opts.halfLifeDays ?? 90);
    orderIds.push(crypto.randomUUID());
    users.push(CUSTOMER_ID_BASE + Math.floor(rnd() * opts.customers));
    paid.push(at.toISOString());
    baskets.push(`{${ids.join(",")}}`);
    for (const a of ids) {
      const it = items.get(a) ?? { w: 0, n: 0 };
      it.w += inc;
      it.n++;
      items.set(a, it);
      for (const b of ids) {
        if (a === b) continue;
        const key = a * 4_194_304 + b;
        const pr = pairs.get(key) ?? { w: 0, n: 0 };
        pr.w += inc;
        pr.n++;
        pairs.set(key, pr);
      }
    }
  }
  const CHUNK = 20_000;
  for (let i = 0; i < orderIds.length; i += CHUNK) {
    const s = (xs: unknown[]) => xs.slice(i, i + CHUNK);
    await sql`
      insert into rec_orders (order_id, user_id, product_ids, paid_at)
      select o, u, b::bigint[], t::timestamptz
      from unnest(${s(orderIds) as string[]}::uuid[], ${s(users) as number[]}::bigint[], ${s(baskets) as string[]}::text[], ${s(paid) as string[]}::text[]) as x(o, u, b, t)
      on conflict (order_id) do nothing`;
  }
  const itemRows = [...items];
  for (let i = 0; i < itemRows.length; i += CHUNK) {
    const part = itemRows.slice(i, i + CHUNK);
    await sql`
      insert into rec_items (product_id, weight, orders)
      select * from unnest(${part.map(([id]) => id)}::bigint[], ${part.map(([, v]) => v.w)}::float8[], ${part.map(([, v]) => v.n)}::int[])
      on conflict (product_id) do update set weight = rec_items.weight + excluded.weight, orders = rec_items.orders + excluded.orders`;
  }
  const pairRows = [...pairs];
  for (let i = 0; i < pairRows.length; i += CHUNK) {
    const part = pairRows.slice(i, i + CHUNK);
    await sql`
      insert into rec_pairs (product_id, other_id, weight, support)
      select * from unnest(
        ${part.map(([k]) => Math.floor(k / 4_194_304))}::bigint[], ${part.map(([k]) => k % 4_194_304)}::bigint[],
        ${part.map(([, v]) => v.w)}::float8[], ${part.map(([, v]) => v.n)}::int[])
      on conflict (product_id, other_id) do update
        set weight = rec_pairs.weight + excluded.weight, support = rec_pairs.support + excluded.support`;
  }
  await sql`
    with r as (
      select id, category_id,
             row_number() over (partition by category_id order by id) as rn,
             count(*) over (partition by category_id) as n
      from products where status = 'active')
    insert into rec_similar (product_id, similar_id, score)
    select a.id, b.id, (1.0 / (1 + k))::real
    from r a cross join generate_series(1, 10) k
    join r b on b.category_id = a.category_id and b.rn = ((a.rn - 1 + k) % a.n) + 1
    where a.n > 1 and b.id <> a.id
    on conflict (product_id, similar_id) do nothing`;
  await sql`analyze rec_orders, rec_items, rec_pairs, rec_similar`;
  // What the consumer would have stored for each customer as it counted their orders.
  const forYouStarted = performance.now();
  const forYou = await rebuildForYou(sql, { minSupport: opts.minSupport ?? 2 });
  console.log(
    `for-you lists of ${forYou} customers ranked in ${Math.round(performance.now() - forYouStarted)} ms`,
  );
  return {
    orders: orderIds.length,
    pairs: pairRows.length,
    customers: [...new Set(users)],
    ms: Math.round(performance.now() - started),
  };
}
