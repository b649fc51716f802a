import type { AppDeps } from "../core/deps.ts";
import { createElasticsearchEngine } from "./es/engine.ts";
import { withFallback } from "./fallback.ts";
import { createPostgresEngine } from "./pg/engine.ts";
import type { SearchEngine } from "./types.ts";

const chosen = new WeakMap<AppDeps, SearchEngine>();

/**
 * The one place that picks the engine: Elasticsearch when ELASTICSEARCH_URL
 * is set (falling back to Postgres for reads while it is down), Postgres
 * otherwise.
 */
function createSearchEngine(deps: AppDeps): SearchEngine {
  const postgres = createPostgresEngine(deps.db);
  const url = deps.config.ELASTICSEARCH_URL;
  if (!url) return postgres;
  const logger = deps.logger.child({ component: "search" });
  return withFallback(createElasticsearchEngine({ url, db: deps.db, logger }), postgres, logger);
}

/** The engine of these deps, created on first use and shared by routes and consumers of one process. */
export function searchEngine(deps: AppDeps): SearchEngine {
  let engine = chosen.get(deps);
  if (!engine) {
    engine = createSearchEngine(deps);
    chosen.set(deps, engine);
  }
  return engine;
}
