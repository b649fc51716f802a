import type { AppDeps } from "../../server/core/deps.ts";
import { onRecommendEvent, RECOMMEND_EVENT_TYPES } from "../../server/recommend/ingest.ts";
import type { RecommendSettings } from "../../server/recommend/settings.ts";
import type { ConsumerSpec } from "../transport.ts";

/**
 * Keeps the recommender's tables current: each paid order adds to popularity
 * and co-purchases (once per order, however often the event is delivered),
 * each product change recomputes that product's similar list.
 */
export function recommendConsumer(deps: AppDeps, settings: RecommendSettings): ConsumerSpec {
  return {
    name: "recommend",
    types: [...RECOMMEND_EVENT_TYPES],
    handle: (event) => onRecommendEvent(deps, settings, event),
  };
}
