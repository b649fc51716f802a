import { type Context, Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams } from "../../platform/validate.ts";
import { activeProductIdBySlug, activeProductIdSql } from "../catalog/content.ts";
import { listItemsJsonFor, spliceItems } from "../catalog/list-source.ts";
import type { ProductListItem } from "../catalog/present.ts";
import { slugSchema } from "../catalog/schemas.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { forgetForYou, servedForYou } from "./for-you.ts";
import type { Ranked } from "./serve.ts";
import type { RecommendSettings } from "./settings.ts";
import { addView, popularProducts, rankForProduct, type Scores } from "./store.ts";
import { TtlCache } from "./ttl-cache.ts";

const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });
const viewBody = z.object({ slug: slugSchema });

/** A recommendation answer: the products and how they were chosen (`none` = no data yet). */
export interface Recommendations {
  strategy: Ranked["strategy"];
  items: ProductListItem[];
}

/** The answer when the recommender has nothing (or its data cannot be read). */
const NONE = JSON.stringify({ strategy: "none", items: [] } satisfies Recommendations);

/**
 * Runs a ranking and presents its first `limit` products as the JSON the
 * route sends (what the cache keeps, so a hit is sent without serialising
 * again). Recommendations are an extra: when their tables are missing or a
 * query fails, the answer is an empty list (logged), never an error page.
 * `rank` answering null means the product does not exist (404, not cached).
 */
async function answer(
  deps: AppDeps,
  what: string,
  limit: number,
  rank: () => Promise<Ranked | null>,
): Promise<string> {
  let json: string | null;
  try {
    const ranked = await rank();
    // Spliced from the items' JSON texts: the `Recommendations` shape, without parsing them.
    json = ranked
      ? spliceItems("strategy", ranked.strategy, (await listItemsJsonFor(deps, ranked.ids)).slice(0, limit))
      : null;
  } catch (err) {
    deps.logger.warn("recommendations unavailable; answering none", { what, err });
    return NONE;
  }
  if (json === null) throw notFound(`Product ${what.split(":")[1]} was not found.`);
  return json;
}

/** Stored for-you lists may name products archived since: a few more are read to fill the page. */
const SPARE = 3;

const sendJson = (text: string) =>
  new Response(text, { headers: { "Content-Type": "application/json; charset=UTF-8" } });

/** `/api/ai/recommendations/…`: bought together, similar, for you, and the view signal. */
function recommendationRoutes(deps: AppDeps, settings: RecommendSettings): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  // Keyed by slug: a hit costs no query at all (not even the slug → id lookup).
  const lookups = deps.metrics.counter("cache_requests_total", "cache lookups by cache and result");
  const cache = new TtlCache<string>(settings.cacheTtlS * 1000, 10_000, (result) =>
    lookups.inc({ cache: "recommendations", result }),
  );
  // The popularity prior of for-you is the same list for every customer.
  const popular = new TtlCache<Scores>(settings.cacheTtlS * 1000, 1);
  const productRoute = (what: "bought_together" | "similar") => async (c: Context<AuthEnv>) => {
    const { limit } = queryParams(c, limitQuery);
    const parsed = slugSchema.safeParse(c.req.param("slug"));
    if (!parsed.success) throw notFound(`Product ${c.req.param("slug")} was not found.`);
    const slug = parsed.data;
    const key = `${what === "similar" ? "sim" : "bt"}:${slug}:${limit}`;
    return sendJson(
      await cache.get(key, () =>
        answer(deps, key, limit, async () => {
          // The slug lookup inside the ranking statement: a miss costs one round trip (plus the items).
          const r = await deps.db.read((sql) =>
            rankForProduct(sql, activeProductIdSql(sql, slug), what, settings.minSupport, limit),
          );
          if (r.seed === null) return null;
          return { ids: r.ids, strategy: r.ids.length ? what : "none" };
        }),
      ),
    );
  };
  const productId = async (slug: string): Promise<number> => {
    const parsed = slugSchema.safeParse(slug);
    const id = parsed.success ? await deps.db.read((sql) => activeProductIdBySlug(sql, parsed.data)) : null;
    if (id === null) throw notFound(`Product ${slug} was not found.`);
    return id;
  };

  app.get("/products/:slug/bought-together", productRoute("bought_together"));
  app.get("/products/:slug/similar", productRoute("similar"));
  app.get("/for-you", authenticate(deps), requireAuth(), async (c) => {
    const { limit } = queryParams(c, limitQuery);
    const user = currentUser(c);
    const key = `fy:${user.id}:${limit}`;
    return sendJson(
      await cache.get(key, () =>
        answer(deps, key, limit, async () => {
          const list = await servedForYou(
            (fn) => deps.db.read(fn),
            deps.db.primary,
            user.id,
            settings,
            (n) => popular.get(String(n), () => deps.db.read((sql) => popularProducts(sql, n))),
            (err) => deps.logger.warn("for-you list could not be stored", { user: user.id, err }),
          );
          return { strategy: list.strategy, ids: list.ids.slice(0, limit + SPARE) };
        }),
      ),
    );
  });
  app.post("/views", authenticate(deps), requireAuth(), async (c) => {
    const { slug } = await jsonBody(c, viewBody);
    const id = await productId(slug);
    const user = currentUser(c);
    await addView(deps.db.primary, user.id, id);
    await forgetForYou(deps.db.primary, user.id);
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
