import type { Sql, TxSql } from "../../db/client.ts";
import { conflict, notFound, unauthorized } from "../../platform/problem.ts";
import { recordEvent } from "../core/outbox.ts";

/** A review as the API shows it. */
export interface Review {
  id: number;
  user_id: number;
  rating: number;
  title: string;
  body: string;
  created_at: string;
}

interface ReviewRow {
  id: string;
  user_id: string;
  rating: number;
  title: string;
  body: string;
  created_at: Date;
}

function present(r: ReviewRow): Review {
  return {
    id: Number(r.id),
    user_id: Number(r.user_id),
    rating: r.rating,
    title: r.title,
    body: r.body,
    created_at: r.created_at.toISOString(),
  };
}

/** A page of a product's reviews, newest first; null when the product does not exist. */
export async function listReviews(
  sql: Sql,
  slug: string,
  page: number,
  pageSize: number,
): Promise<{ items: Review[]; total: number } | null> {
  // One statement: the product, its review count (exact on the row) and the page.
  const rows = await sql<(Partial<ReviewRow> & { total: number })[]>`
    select p.rating_count as total, r.id, r.user_id, r.rating, r.title, r.body, r.created_at
    from products p
    left join lateral (
      select id, user_id, rating, title, body, created_at from reviews
      where product_id = p.id
      order by created_at desc, id desc
      limit ${pageSize} offset ${(page - 1) * pageSize}
    ) r on true
    where p.slug = ${slug} and p.status = 'active'
    order by r.created_at desc, r.id desc`;
  if (!rows.length) return null;
  return {
    total: rows[0]!.total,
    items: rows.filter((r) => r.id != null).map((r) => present(r as ReviewRow)),
  };
}

/** What a client may send to review a product. */
export interface NewReview {
  rating: number;
  title: string;
  body: string;
}

/**
 * Adds the caller's review in one transaction with the product's rating sum
 * and count (so averages stay exact without recounting) and a
 * `review.created` event. 404 for an unknown product, 409 for a second review.
 */
export async function createReview(
  tx: TxSql,
  slug: string,
  userId: number,
  input: NewReview,
): Promise<Review> {
  const [product] = await tx<{ id: string }[]>`
    select id from products where slug = ${slug} and status = 'active'`;
  if (!product) throw notFound(`No product with slug ${slug}.`);
  let row: ReviewRow | undefined;
  try {
    [row] = await tx<ReviewRow[]>`
      insert into reviews (product_id, user_id, rating, title, body)
      values (${product.id}, ${userId}, ${input.rating}, ${input.title}, ${input.body})
      on conflict (product_id, user_id) do nothing
      returning id, user_id, rating, title, body, created_at`;
  } catch (err) {
    // The token names a user that no longer exists.
    if ((err as { code?: string }).code === "23503") throw unauthorized("Your account no longer exists.");
    throw err;
  }
  if (!row) throw conflict("You have already reviewed this product.", "duplicate-review");
  await tx`
    update products set rating_sum = rating_sum + ${input.rating}, rating_count = rating_count + 1
    where id = ${product.id}`;
  const review = present(row);
  await recordEvent(
    tx,
    "review.created",
    { review_id: review.id, product_id: Number(product.id), slug, user_id: userId, rating: review.rating },
    product.id,
  );
  return review;
}
