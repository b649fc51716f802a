import { Hono } from "hono";
import { z } from "zod";
import { demandPrimary } from "../../db/context.ts";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams, safeText } from "../../platform/validate.ts";
import { type AuthEnv, currentUser, mountStaffRoutes } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { isUuid } from "../core/ids.ts";
import { pageOf, pageQuery } from "../core/paging.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { decideReview, ordersInReview } from "./review.ts";

const decisionBody = z.object({
  decision: z.enum(["approve", "reject"]),
  note: safeText(500).optional(),
});

/** Staff fraud-review routes: the orders held for review and the decision on each. */
function fraudReviewRoutes(deps: AppDeps, providers: ProviderRegistry): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get("/", async (c) => {
    const q = queryParams(c, pageQuery);
    const { items, total } = await deps.db.read((sql) => ordersInReview(sql, q.page, q.page_size), {
      primary: true,
    });
    return c.json(pageOf(items, q, total));
  });
  app.post("/:id", async (c) => {
    demandPrimary();
    const id = c.req.param("id");
    if (!isUuid(id)) throw notFound(`Order ${id} was not found.`);
    const body = await jsonBody(c, decisionBody);
    return c.json(await decideReview(deps, providers, id, currentUser(c), body.decision, body.note));
  });
  return app;
}

/** The fraud review route module (`/api/admin/fraud/reviews`), refunding rejected orders through `providers`. */
export function fraudReviewModule(providers: ProviderRegistry): RouteModule {
  return (app, deps) => {
    mountStaffRoutes(app, deps, [["/api/admin/fraud/reviews", fraudReviewRoutes(deps, providers)]]);
  };
}
