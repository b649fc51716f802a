import type { TxSql } from "../client.ts";
import type { ProductSpec } from "./model.ts";
import { REVIEW_TEXT } from "./vocab.ts";

/** Products per INSERT: each column travels as one array parameter (unnest), so a chunk is one round trip. */
const PRODUCT_CHUNK = 5000;
/** Variant, inventory and review rows per INSERT. */
const ROW_CHUNK = 20000;

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * Inserts products with their price, stock and rating summaries already
 * computed (the generator knows them), and returns slug -> id.
 */
export async function insertProducts(
  tx: TxSql,
  specs: ProductSpec[],
  categoryIds: Map<string, number>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(specs, PRODUCT_CHUNK)) {
    const prices = part.map((p) => p.variants.map((v) => v.price));
    const rows = await tx<{ id: string; slug: string }[]>`
      insert into products (slug, title, description, brand, category_id, images, currency, created_at,
                            min_price, max_price, in_stock, rating_sum, rating_count)
      select u.slug, u.title, u.description, u.brand, u.category_id, u.images::jsonb, 'USD',
             now() - u.age_days * interval '1 day', u.min_price, u.max_price, u.in_stock = 1, u.rating_sum, u.rating_count
      from unnest(${part.map((p) => p.slug)}::text[], ${part.map((p) => p.title)}::text[],
                  ${part.map((p) => p.description)}::text[], ${part.map((p) => p.brand)}::text[],
                  ${part.map((p) => categoryIds.get(p.category)!)}::bigint[], ${part.map((p) => JSON.stringify(p.images))}::text[],
                  ${part.map((p) => p.ageDays)}::float8[], ${prices.map((ps) => Math.min(...ps))}::bigint[],
                  ${prices.map((ps) => Math.max(...ps))}::bigint[],
                  ${part.map((p) => (p.variants.some((v) => v.stock > 0) ? 1 : 0))}::int[],
                  ${part.map((p) => p.ratings.reduce((a, b) => a + b, 0))}::bigint[],
                  ${part.map((p) => p.ratings.length)}::int[])
        as u(slug, title, description, brand, category_id, images, age_days, min_price, max_price, in_stock,
             rating_sum, rating_count)
      returning id, slug`;
    // (in_stock travels as 0/1: postgres.js does not send a JS boolean array as boolean[].)
    for (const r of rows) ids.set(r.slug, Number(r.id));
  }
  return ids;
}

/** Inserts every product's variants and their stock; returns the number of variants. */
export async function insertVariants(
  tx: TxSql,
  specs: ProductSpec[],
  ids: Map<string, number>,
): Promise<number> {
  const rows = specs.flatMap((p) =>
    p.variants.map((v, position) => ({ ...v, productId: ids.get(p.slug)!, position })),
  );
  for (const part of chunks(rows, ROW_CHUNK)) {
    await tx`
      insert into variants (product_id, sku, title, price, currency, position)
      select u.product_id, u.sku, u.title, u.price, 'USD', u.position
      from unnest(${part.map((r) => r.productId)}::bigint[], ${part.map((r) => r.sku)}::text[],
                  ${part.map((r) => r.title)}::text[], ${part.map((r) => r.price)}::bigint[],
                  ${part.map((r) => r.position)}::int[]) as u(product_id, sku, title, price, position)`;
    await tx`
      insert into inventory (sku, quantity)
      select * from unnest(${part.map((r) => r.sku)}::text[], ${part.map((r) => r.stock)}::int[])`;
  }
  return rows.length;
}

/**
 * Inserts the reviews: review j of a product is by reviewer (start + j) mod
 * R, so a product never has two reviews by one account (a product has at
 * most R reviews). Returns the number of reviews.
 */
export async function insertReviews(
  tx: TxSql,
  specs: ProductSpec[],
  ids: Map<string, number>,
  reviewerIds: number[],
): Promise<number> {
  const r = reviewerIds.length;
  const rows = specs.flatMap((p) =>
    p.ratings.map((rating, j) => {
      const text = REVIEW_TEXT[rating]!;
      return {
        productId: ids.get(p.slug)!,
        userId: reviewerIds[(p.index * 7 + j) % r]!,
        rating,
        title: text.titles[(p.index + j) % text.titles.length]!,
        body: text.bodies[(p.index + j) % text.bodies.length]!,
        // Spread between the product's creation and now, oldest first.
        ageDays: (p.ageDays * (p.ratings.length - j)) / (p.ratings.length + 1),
      };
    }),
  );
  for (const part of chunks(rows, ROW_CHUNK)) {
    await tx`
      insert into reviews (product_id, user_id, rating, title, body, created_at)
      select u.product_id, u.user_id, u.rating, u.title, u.body, now() - u.age_days * interval '1 day'
      from unnest(${part.map((x) => x.productId)}::bigint[], ${part.map((x) => x.userId)}::bigint[],
                  ${part.map((x) => x.rating)}::smallint[], ${part.map((x) => x.title)}::text[],
                  ${part.map((x) => x.body)}::text[], ${part.map((x) => x.ageDays)}::float8[])
        as u(product_id, user_id, rating, title, body, age_days)
      on conflict (product_id, user_id) do nothing`;
  }
  return rows.length;
}
