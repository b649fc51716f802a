import { Hono } from "hono";
import { z } from "zod";
import { badRequest } from "../../platform/problem.ts";
import { queryParams } from "../../platform/validate.ts";
import { isSku } from "../catalog/skus.ts";
import { type AuthEnv, mountStaffRoutes } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { lowStock, skuOutlook } from "./service.ts";
import type { ForecastSettings } from "./settings.ts";

const lowStockQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Staff forecast routes: one SKU's outlook, and the SKUs to reorder. */
function forecastRoutes(deps: AppDeps, settings: ForecastSettings): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get("/skus/:sku", async (c) => {
    const sku = c.req.param("sku");
    if (!isSku(sku)) throw badRequest("Not a SKU.", "invalid-sku");
    return c.json(await deps.db.read((sql) => skuOutlook(sql, sku, settings)));
  });
  app.get("/low-stock", async (c) => {
    const { limit } = queryParams(c, lowStockQuery);
    const items = await deps.db.read((sql) => lowStock(sql, settings, limit));
    return c.json({ items, lead_time_days: settings.leadTimeDays, review_days: settings.reviewDays });
  });
  return app;
}

/** The forecast route module (`/api/ai/forecast`, staff only). */
export function forecastModule(settings: ForecastSettings): RouteModule {
  return (app, deps) => {
    mountStaffRoutes(app, deps, [["/api/ai/forecast", forecastRoutes(deps, settings)]]);
  };
}
