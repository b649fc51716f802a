import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams, safeText } from "../../platform/validate.ts";
import { invalidateProducts } from "../catalog/invalidate.ts";
import { slugSchema } from "../catalog/schemas.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import type { RouteModule } from "../core/deps.ts";
import { pageOf, pageQuery } from "../core/paging.ts";
import { createReview, listReviews } from "./queries.ts";

const reviewBody = z.object({
  rating: z.number().int("must be a whole number").min(1).max(5),
  title: safeText(200, { min: 0 }).default(""),
  body: safeText(10_000, { min: 0, multiline: true }).default(""),
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
    const q = queryParams(c, pageQuery);
    const found = await deps.db.read((sql) => listReviews(sql, slug, q.page, q.page_size));
    if (!found) throw notFound(`No product with slug ${slug}.`);
    return c.json(pageOf(found.items, q, found.total));
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
