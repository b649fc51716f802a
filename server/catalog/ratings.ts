import type { Sql, TxSql } from "../../db/client.ts";

/**
 * The catalog's side of reviews: products carry their rating sum and count
 * (so averages stay exact without recounting); the reviews module calls these
 * instead of touching the products table.
 */

/** An active product that can be reviewed, with its review count. */
export interface RatedProduct {
  id: number;
  ratingCount: number;
}

/** The active product with this slug, or null (archived and unknown products cannot be reviewed). */
export async function findRatedProduct(sql: Sql | TxSql, slug: string): Promise<RatedProduct | null> {
  const [row] = await sql<{ id: string; rating_count: number }[]>`
    select id, rating_count from products where slug = ${slug} and status = 'active'`;
  return row ? { id: Number(row.id), ratingCount: row.rating_count } : null;
}

/** Adds one rating (1–5) to a product's sum and count, inside the review's transaction. */
export async function addRating(tx: TxSql, productId: number, rating: number): Promise<void> {
  await tx`
    update products set rating_sum = rating_sum + ${rating}, rating_count = rating_count + 1
    where id = ${productId}`;
}
