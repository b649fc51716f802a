import { Hono } from "hono";
import { z } from "zod";
import { queryParams } from "../../platform/validate.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { searchEngine } from "../search/engine.ts";
import { hybridSearchJson, type SemanticSettings } from "./service.ts";

const searchQuery = z.object({
  q: z.string().trim().min(1, "is required").max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** `GET /api/ai/search?q=&limit=`: hybrid (lexical + word vectors) product search. */
function semanticRoutes(deps: AppDeps, settings: SemanticSettings | null): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const { q, limit } = queryParams(c, searchQuery);
    if (settings) {
      const text = await hybridSearchJson(deps, settings, q, limit);
      return c.body(text, 200, { "Content-Type": "application/json; charset=UTF-8" });
    }
    const lexical = await searchEngine(deps).search({ q, sort: "relevance", page: 1, page_size: limit });
    return c.json({ mode: "lexical", items: lexical.items });
  });
  return app;
}

/** The semantic search route module; `settings` null = semantic blending off (lexical only). */
export function semanticModule(settings: SemanticSettings | null): RouteModule {
  return (app, deps) => {
    app.route("/api/ai/search", semanticRoutes(deps, settings));
  };
}
