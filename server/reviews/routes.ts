import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams } from "../../platform/validate.ts";
import { invalidateProducts } from "../catalog/invalidate.ts";
import { DEFAULT_PAGE_SIZE, NOT_STORABLE, pagingSchema, slugSchema, storable } from "../catalog/schemas.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import type { RouteModule } from "../core/deps.ts";
import { createReview, listReviews } from "./queries.ts";

const reviewBody = z.object({
  rating: z.number().int("must be a whole number").min(1).max(5),
  title: z.string().trim().max(200).refine(storable, NOT_STORABLE).default(""),
  body: z.string().trim().max(10_000).refine(storable, NOT_STORABLE).default(""),
});

function slugParam(value: string | undefined): string {
  const slug = slugSchema.safeParse(value);
  if (!slug.success) throw notFound("No such product.");
  return slug.data;
}

/** `GET/POST /api/catalog/products/:slug/reviews`. */
export const reviewsModule: RouteModule = (app, deps) => {
  const r = new Hono<AuthEnv>();

  r.get("/:slug/reviews", async (c) => {
    const slug = slugParam(c.req.param("slug"));
    const q = queryParams(c, pagingSchema);
    const page = q.page ?? 1;
    const pageSize = q.page_size ?? DEFAULT_PAGE_SIZE;
    const found = await deps.db.read((sql) => listReviews(sql, slug, page, pageSize));
    if (!found) throw notFound(`No product with slug ${slug}.`);
    return c.json({ items: found.items, page, page_size: pageSize, total: found.total });
  });

  r.post("/:slug/reviews", authenticate(deps), requireAuth(), async (c) => {
    const slug = slugParam(c.req.param("slug"));
    const input = await jsonBody(c, reviewBody);
    const user = currentUser(c);
    const review = await deps.db.tx((tx) => createReview(tx, slug, user.id, input));
    // The product's rating changed: its detail and every list page (rating sort).
    await invalidateProducts(deps, [slug]);
    return c.json(review, 201);
  });

  app.route("/api/catalog/products", r);
};
