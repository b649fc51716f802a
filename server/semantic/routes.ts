import { Hono } from "hono";
import { z } from "zod";
import { queryParams } from "../../platform/validate.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { searchEngine } from "../search/engine.ts";
import { type HybridResult, hybridSearch, type SemanticSettings } from "./service.ts";

const searchQuery = z.object({
  q: z.string().trim().min(1, "is required").max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** `GET /api/ai/search?q=&limit=`: hybrid (lexical + word vectors) product search. */
function semanticRoutes(deps: AppDeps, settings: SemanticSettings | null): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const { q, limit } = queryParams(c, searchQuery);
    let result: HybridResult;
    if (settings) result = await hybridSearch(deps, settings, q, limit);
    else {
      const lexical = await searchEngine(deps).search({ q, sort: "relevance", page: 1, page_size: limit });
      result = { mode: "lexical", items: lexical.items };
    }
    return c.json(result);
  });
  return app;
}

/** The semantic search route module; `settings` null = semantic blending off (lexical only). */
export function semanticModule(settings: SemanticSettings | null): RouteModule {
  return (app, deps) => {
    app.route("/api/ai/search", semanticRoutes(deps, settings));
  };
}
