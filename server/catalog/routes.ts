import { type Context, Hono } from "hono";
import { notFound } from "../../platform/problem.ts";
import { queryParams } from "../../platform/validate.ts";
import type { AppEnv, RouteModule } from "../core/deps.ts";
import { listParams, productListQuery, slugSchema } from "./schemas.ts";
import { categoryTreeJson, productDetailJson, productListJson } from "./service.ts";

/** Sends JSON text that is already serialised (straight from the cache). */
function jsonText(c: Context, text: string) {
  return c.body(text, 200, { "Content-Type": "application/json; charset=UTF-8" });
}

/** Public catalog: `/api/catalog/categories`, `/api/catalog/products[/:slug]`. */
export const catalogRoutes: RouteModule = (app, deps) => {
  const r = new Hono<AppEnv>();

  r.get("/categories", async (c) => jsonText(c, await categoryTreeJson(deps)));

  r.get("/products", async (c) => {
    const params = listParams(queryParams(c, productListQuery));
    return jsonText(c, await productListJson(deps, params));
  });

  r.get("/products/:slug", async (c) => {
    const slug = slugSchema.safeParse(c.req.param("slug"));
    if (!slug.success) throw notFound("No such product.");
    const body = await productDetailJson(deps, slug.data);
    if (body === "null") throw notFound(`No product with slug ${slug.data}.`);
    return jsonText(c, body);
  });

  app.route("/api/catalog", r);
};
