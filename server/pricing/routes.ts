import { Hono } from "hono";
import { z } from "zod";
import { demandPrimary } from "../../db/context.ts";
import { badRequest, conflict } from "../../platform/problem.ts";
import { jsonBody, queryParams, safeText } from "../../platform/validate.ts";
import { isSku } from "../catalog/skus.ts";
import { type AuthEnv, currentUser, mountStaffRoutes } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import type { ForecastSettings } from "../forecast/settings.ts";
import { adviseSku } from "./service.ts";
import { decideAdvice, listAdvice } from "./store.ts";

const decisionBody = z.object({ decision: z.enum(["accepted", "rejected"]), note: safeText(500).optional() });
const listQuery = z.object({
  sku: z.string().refine(isSku, "must be a SKU").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Staff pricing-advice routes: ask for a suggestion, decide on it, read the audit trail. */
function pricingRoutes(deps: AppDeps, settings: ForecastSettings): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post("/skus/:sku/advice", async (c) => {
    demandPrimary();
    const sku = c.req.param("sku");
    if (!isSku(sku)) throw badRequest("Not a SKU.", "invalid-sku");
    return c.json(await adviseSku(deps.db.primary, settings, sku, currentUser(c).id), 201);
  });
  app.post("/advice/:id/decision", async (c) => {
    demandPrimary();
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id) || id < 1) throw badRequest("Not an advice id.", "invalid-id");
    const body = await jsonBody(c, decisionBody);
    const record = await decideAdvice(
      deps.db.primary,
      id,
      body.decision,
      currentUser(c).id,
      body.note ?? null,
    );
    if (!record) throw conflict("No undecided suggestion with this id.", "advice-not-open");
    return c.json(record);
  });
  app.get("/advice", async (c) => {
    const q = queryParams(c, listQuery);
    return c.json({ items: await deps.db.read((sql) => listAdvice(sql, q.sku, q.limit), { primary: true }) });
  });
  return app;
}

/** The pricing-advice route module (`/api/ai/pricing`, staff only; never changes a price). */
export function pricingModule(settings: ForecastSettings): RouteModule {
  return (app, deps) => {
    mountStaffRoutes(app, deps, [["/api/ai/pricing", pricingRoutes(deps, settings)]]);
  };
}
