import { Hono } from "hono";
import { z } from "zod";
import type { Sql } from "../../db/client.ts";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams } from "../../platform/validate.ts";
import { listItemsByIds } from "../catalog/content.ts";
import type { ProductListItem } from "../catalog/present.ts";
import { loadProductBySlug } from "../catalog/queries.ts";
import { slugSchema } from "../catalog/schemas.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { boughtTogether, forYou, type Ranked, similarProducts } from "./serve.ts";
import type { RecommendSettings } from "./settings.ts";
import { addView } from "./store.ts";
import { TtlCache } from "./ttl-cache.ts";

const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });
const viewBody = z.object({ slug: slugSchema });

/** A recommendation answer: the products and how they were chosen (`none` = no data yet). */
export interface Recommendations {
  strategy: Ranked["strategy"];
  items: ProductListItem[];
}

/**
 * Runs a ranking and presents it. Recommendations are an extra: when their
 * tables are missing or a query fails, the answer is an empty list (logged),
 * never an error page.
 */
async function answer(
  deps: AppDeps,
  what: string,
  rank: (sql: Sql) => Promise<Ranked>,
): Promise<Recommendations> {
  try {
    return await deps.db.read(async (sql) => {
      const ranked = await rank(sql);
      return { strategy: ranked.strategy, items: await listItemsByIds(sql, ranked.ids) };
    });
  } catch (err) {
    deps.logger.warn("recommendations unavailable; answering none", { what, err });
    return { strategy: "none", items: [] };
  }
}

/** `/api/ai/recommendations/…`: bought together, similar, for you, and the view signal. */
function recommendationRoutes(deps: AppDeps, settings: RecommendSettings): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const cache = new TtlCache<Recommendations>(settings.cacheTtlS * 1000);
  const productId = async (slug: string): Promise<number> => {
    const parsed = slugSchema.safeParse(slug);
    const row = parsed.success ? await deps.db.read((sql) => loadProductBySlug(sql, parsed.data)) : null;
    if (!row) throw notFound(`Product ${slug} was not found.`);
    return Number(row.id);
  };

  app.get("/products/:slug/bought-together", async (c) => {
    const { limit } = queryParams(c, limitQuery);
    const id = await productId(c.req.param("slug"));
    const key = `bt:${id}:${limit}`;
    return c.json(
      await cache.get(key, () =>
        answer(deps, key, (sql) => boughtTogether(sql, id, settings.minSupport, limit)),
      ),
    );
  });
  app.get("/products/:slug/similar", async (c) => {
    const { limit } = queryParams(c, limitQuery);
    const id = await productId(c.req.param("slug"));
    const key = `sim:${id}:${limit}`;
    return c.json(await cache.get(key, () => answer(deps, key, (sql) => similarProducts(sql, id, limit))));
  });
  app.get("/for-you", authenticate(deps), requireAuth(), async (c) => {
    const { limit } = queryParams(c, limitQuery);
    const user = currentUser(c);
    const key = `fy:${user.id}:${limit}`;
    return c.json(
      await cache.get(key, () =>
        answer(deps, key, (sql) => forYou(sql, user.id, settings.minSupport, limit)),
      ),
    );
  });
  app.post("/views", authenticate(deps), requireAuth(), async (c) => {
    const { slug } = await jsonBody(c, viewBody);
    const id = await productId(slug);
    const user = currentUser(c);
    await addView(deps.db.primary, user.id, id);
    cache.forget(`fy:${user.id}:`);
    return c.body(null, 204);
  });
  return app;
}

/** The recommender's route module. */
export function recommendModule(settings: RecommendSettings): RouteModule {
  return (app, deps) => {
    app.route("/api/ai/recommendations", recommendationRoutes(deps, settings));
  };
}
