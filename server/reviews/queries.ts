import type { Sql, TxSql } from "../../db/client.ts";
import { conflict, notFound, unauthorized } from "../../platform/problem.ts";
import { addRating, findRatedProduct } from "../catalog/ratings.ts";
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
  // The catalog keeps the exact review count on the product row: no count(*) here.
  const product = await findRatedProduct(sql, slug);
  if (!product) return null;
  const rows = await sql<ReviewRow[]>`
    select id, user_id, rating, title, body, created_at from reviews
    where product_id = ${product.id}
    order by created_at desc, id desc
    limit ${pageSize} offset ${(page - 1) * pageSize}`;
  return { total: product.ratingCount, items: rows.map(present) };
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
  const product = await findRatedProduct(tx, slug);
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
  await addRating(tx, product.id, input.rating);
  const review = present(row);
  await recordEvent(
    tx,
    "review.created",
    { review_id: review.id, product_id: product.id, slug, user_id: userId, rating: review.rating },
    product.id,
  );
  return review;
}
