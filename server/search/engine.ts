import type { AppDeps } from "../core/deps.ts";
import { createElasticsearchEngine } from "./es/engine.ts";
import { withFallback } from "./fallback.ts";
import { createMemoryEngine } from "./memory/engine.ts";
import { createPostgresEngine } from "./pg/engine.ts";
import type { SearchEngine } from "./types.ts";

const chosen = new WeakMap<AppDeps, SearchEngine>();

/**
 * The one place that picks the engine: Elasticsearch when ELASTICSEARCH_URL
 * is set (falling back to Postgres for reads while it is down); otherwise
 * SEARCH_ENGINE: the in-process index (Postgres answers until it is built)
 * or Postgres alone.
 */
function createSearchEngine(deps: AppDeps): SearchEngine {
  const postgres = createPostgresEngine(deps.db);
  const url = deps.config.ELASTICSEARCH_URL;
  const logger = deps.logger.child({ component: "search" });
  if (!url) {
    if (deps.config.SEARCH_ENGINE === "postgres") return postgres;
    return createMemoryEngine({
      db: deps.db,
      logger,
      fallback: postgres,
      syncMs: deps.config.SEARCH_SYNC_MS,
      metrics: deps.metrics,
    });
  }
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

/** Stops the engine's background work for these deps (the in-process index's outbox following). */
export async function closeSearchEngine(deps: AppDeps): Promise<void> {
  const engine = chosen.get(deps);
  chosen.delete(deps);
  await engine?.close?.();
}
