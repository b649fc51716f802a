import type { AppDeps } from "../../server/core/deps.ts";
import { searchEngine } from "../../server/search/engine.ts";
import { productIdsOf, SEARCH_EVENT_TYPES } from "../../server/search/event-products.ts";
import type { SearchEngine } from "../../server/search/types.ts";
import type { ConsumerSpec } from "../transport.ts";

/**
 * "search-indexer": keeps the search index in step with the catalog. With
 * Postgres search both calls are no-ops (the trigger already updated the
 * vector in the writing transaction); with Elasticsearch they re-read the
 * products from Postgres and index or delete them, so replays and
 * out-of-order deliveries converge on the current state. A failure throws,
 * and the transport retries, then dead-letters.
 */
export function searchIndexConsumer(deps: AppDeps, engine: SearchEngine = searchEngine(deps)): ConsumerSpec {
  return {
    name: "search-indexer",
    types: [...SEARCH_EVENT_TYPES],
    handle: async (event) => {
      const ids = await productIdsOf(deps.db.primary, event);
      if (!ids.length) return;
      if (event.type === "product.archived") await engine.removeProducts(ids);
      else await engine.indexProducts(ids);
    },
  };
}
