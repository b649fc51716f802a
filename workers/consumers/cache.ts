import { CATALOG_EVENT_TYPES, onCatalogEvent } from "../../server/catalog/invalidate.ts";
import type { AppDeps } from "../../server/core/deps.ts";
import type { ConsumerSpec } from "../transport.ts";

/**
 * The second, event-driven cache invalidation: repeats the generation raise
 * the writing request made after its commit, so a crash between commit and
 * raise heals here.
 */
export function cacheInvalidationConsumer(deps: AppDeps): ConsumerSpec {
  return {
    name: "cache-invalidation",
    types: [...CATALOG_EVENT_TYPES],
    handle: (event) => onCatalogEvent(deps, event),
  };
}
