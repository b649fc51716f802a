import type { Logger } from "../../platform/logger.ts";
import type { SearchEngine } from "./types.ts";

/**
 * Reads from `primary` (Elasticsearch) and, when it fails, answers the same
 * read from `fallback` (Postgres, whose vectors are always current). The
 * outage is logged once when it starts and once when it ends, not per
 * request. Writes (index/remove/reindex) are not redirected: they concern
 * the primary's index, and their callers retry (the consumer) or report
 * (the admin route).
 */
export function withFallback(primary: SearchEngine, fallback: SearchEngine, logger: Logger): SearchEngine {
  let down = false;

  async function read<T>(op: string, fn: (engine: SearchEngine) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await fn(primary);
    } catch (err) {
      if (!down) {
        down = true;
        logger.warn(`${primary.name} search failed; answering from ${fallback.name} until it recovers`, {
          op,
          err,
        });
      }
      return fn(fallback);
    }
    if (down) {
      down = false;
      logger.info(`${primary.name} search answers again`, { op });
    }
    return result;
  }

  return {
    name: primary.name,
    search: (query) => read("search", (e) => e.search(query)),
    suggest: (prefix) => read("suggest", (e) => e.suggest(prefix)),
    indexProducts: (ids) => primary.indexProducts(ids),
    removeProducts: (ids) => primary.removeProducts(ids),
    reindex: () => primary.reindex(),
  };
}
