import { Hono } from "hono";
import { conflict, HttpProblem } from "../../platform/problem.ts";
import { queryParams } from "../../platform/validate.ts";
import { type ProductListSource, useProductListSource } from "../catalog/list-source.ts";
import { type AuthEnv, mountStaffRoutes } from "../core/auth.ts";
import type { AppDeps, AppEnv, RouteModule } from "../core/deps.ts";
import { searchEngine } from "./engine.ts";
import { searchQuerySchema, suggestQuerySchema, toSearchQuery } from "./schemas.ts";
import { ReindexInProgressError, type SearchEngine, type SearchQuery, type SearchResult } from "./types.ts";

export interface SearchModuleOptions {
  /** The engine to use instead of the one chosen from the config (tests). */
  engine?: (deps: AppDeps) => SearchEngine;
}

function isListSource(engine: SearchEngine): engine is SearchEngine & ProductListSource {
  return typeof (engine as Partial<ProductListSource>).listIds === "function";
}

/** What a search answer carries besides its items, in the order the API sends it. */
function envelope(query: SearchQuery, found: Omit<SearchResult, "items">) {
  return {
    page: query.page,
    page_size: query.page_size,
    total: found.total,
    sort: query.sort,
    match: found.match,
    facets: found.facets,
  };
}

/**
 * `GET /api/search`, `GET /api/search/suggest` and
 * `POST /api/admin/search/reindex` (admin or staff). The engine is chosen
 * once, when the module is mounted at start-up.
 */
export function searchModule(opts: SearchModuleOptions = {}): RouteModule {
  return (app, deps) => {
    const engine = opts.engine ? opts.engine(deps) : searchEngine(deps);
    // The in-process index starts building now, so it serves within seconds of start-up.
    engine.start?.();
    // The same index chooses uncached product list pages (catalog falls back to SQL when it lags).
    if (isListSource(engine)) useProductListSource(deps, engine);
    const r = new Hono<AppEnv>();

    r.get("/", async (c) => {
      const query = toSearchQuery(queryParams(c, searchQuerySchema));
      if (engine.searchJson) {
        // Items arrive as JSON text: the body is spliced, byte for byte what c.json would send.
        const found = await engine.searchJson(query);
        const rest = JSON.stringify(envelope(query, found));
        return c.body(`{"items":${found.itemsJson},${rest.slice(1)}`, 200, {
          "Content-Type": "application/json",
        });
      }
      const found = await engine.search(query);
      return c.json({ items: found.items, ...envelope(query, found) });
    });

    r.get("/suggest", async (c) => {
      const { q } = queryParams(c, suggestQuerySchema);
      return c.json(await engine.suggest(q));
    });

    app.route("/api/search", r);

    const admin = new Hono<AuthEnv>();
    admin.post("/reindex", async (c) => {
      try {
        return c.json(await engine.reindex());
      } catch (err) {
        if (err instanceof ReindexInProgressError) throw conflict(err.message, "reindex-in-progress");
        deps.logger.error("search reindex failed", { err });
        throw new HttpProblem(
          503,
          "search-unavailable",
          "The search index could not be rebuilt now; the current one keeps serving. Try again later.",
        );
      }
    });
    mountStaffRoutes(app, deps, [["/api/admin/search", admin]]);
  };
}
