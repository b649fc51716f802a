import type { Sql } from "../../db/client.ts";
import { raiseGenerations } from "../cache/index.ts";
import { activeProductIds, contentNeighbours, productContents } from "../catalog/content.ts";
import { getSkuDetails } from "../catalog/skus.ts";
import type { AppDeps } from "../core/deps.ts";
import type { DomainEvent } from "../core/outbox.ts";
import { rankAndStoreForYou } from "./for-you.ts";
import type { RecommendSettings } from "./settings.ts";
import { addOrder, forgetSimilar, saveSimilar } from "./store.ts";
import { mostSimilar } from "./vectors.ts";
import { recommendGeneration } from "./widgets.ts";

/** Makes cached product pages of these products show their new lists. */
async function raisePages(deps: AppDeps, slugs: string[]): Promise<void> {
  await raiseGenerations(deps, [...new Set(slugs)].map(recommendGeneration));
}

/** How many products each similar list keeps, and how many candidates are compared for one product. */
export const SIMILAR_K = 10;
export const SIMILAR_CANDIDATES = 500;

/** The event types the recommend consumer subscribes to. */
export const RECOMMEND_EVENT_TYPES: readonly DomainEvent["type"][] = [
  "order.paid",
  "product.created",
  "product.updated",
  "product.archived",
];

/**
 * Counts one paid order given by SKUs (mapped to their products) and ranks
 * the customer's stored for-you list again (what they bought leaves it).
 */
export async function ingestPaidOrder(
  deps: AppDeps,
  settings: RecommendSettings,
  order: { orderId: string; userId: number; skus: string[]; paidAt: Date },
): Promise<boolean> {
  const details = await getSkuDetails(deps.db.primary, order.skus);
  const productIds = details.map((d) => d.product_id);
  const added = await deps.db.tx((tx) =>
    addOrder(
      tx,
      { orderId: order.orderId, userId: order.userId, productIds, paidAt: order.paidAt },
      settings.halfLifeDays,
    ),
  );
  // Also when the order was counted before: a delivery that failed after counting it is retried.
  await rankAndStoreForYou(deps.db.primary, order.userId, settings);
  // The order's own products' bought-together lists moved; others only shift by popularity
  // (cosine denominators), which their page entries pick up at the next raise or expiry.
  if (added && productIds.length > 1)
    await raisePages(
      deps,
      (await productContents(deps.db.primary, productIds)).map((p) => p.slug),
    );
  return added;
}

/** Recomputes the similar list of one product (or drops it when archived or gone). */
export async function refreshSimilar(sql: Sql, deps: AppDeps, productId: number): Promise<number> {
  const [product] = await productContents(sql, [productId]);
  if (!product?.active) {
    await deps.db.tx((tx) => forgetSimilar(tx, productId));
    return 0;
  }
  const candidates = await contentNeighbours(sql, product, SIMILAR_CANDIDATES);
  const best = mostSimilar(product, candidates, SIMILAR_K);
  await deps.db.tx((tx) => saveSimilar(tx, productId, best, SIMILAR_K));
  // lists are stored both ways: the product's page and its neighbours' pages changed
  const ids = new Set(best.map((b) => b.id));
  await raisePages(deps, [product.slug, ...candidates.filter((c) => ids.has(c.id)).map((c) => c.slug)]);
  return best.length;
}

/** Builds every similar list from scratch (first start, or after a bulk import); returns the products done. */
export async function rebuildSimilar(deps: AppDeps): Promise<number> {
  let after = 0;
  let done = 0;
  for (;;) {
    const ids = await activeProductIds(deps.db.primary, after, 500);
    if (!ids.length) return done;
    for (const id of ids) await refreshSimilar(deps.db.primary, deps, id);
    done += ids.length;
    after = ids.at(-1)!;
  }
}

const skusOf = (data: Record<string, unknown>): string[] =>
  Array.isArray(data.items)
    ? data.items.flatMap((i) => (i && typeof i === "object" && typeof i.sku === "string" ? [i.sku] : []))
    : [];

/** The consumer's handler: paid orders feed co-purchases, product changes refresh similar lists. */
export async function onRecommendEvent(
  deps: AppDeps,
  settings: RecommendSettings,
  event: Pick<DomainEvent, "type" | "data" | "occurred_at">,
): Promise<void> {
  const data = event.data ?? {};
  if (event.type === "order.paid") {
    if (typeof data.order_id !== "string" || typeof data.user_id !== "number") return;
    await ingestPaidOrder(deps, settings, {
      orderId: data.order_id,
      userId: data.user_id,
      skus: skusOf(data),
      paidAt: new Date(event.occurred_at),
    });
    return;
  }
  if (RECOMMEND_EVENT_TYPES.includes(event.type) && typeof data.id === "number")
    await refreshSimilar(deps.db.primary, deps, data.id);
}
