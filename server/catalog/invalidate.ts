import type { Sql } from "../../db/client.ts";
import { raiseGenerations } from "../cache/index.ts";
import type { AppDeps } from "../core/deps.ts";
import type { DomainEvent } from "../core/outbox.ts";
import { CATEGORIES, PRODUCT_LISTS, productGeneration } from "./generations.ts";

/**
 * Makes cached product details and list pages obsolete for these product
 * slugs. Call after the write has committed, before answering the client.
 */
export async function invalidateProducts(deps: AppDeps, slugs: string[]): Promise<void> {
  const unique = [...new Set(slugs)];
  await raiseGenerations(deps, [PRODUCT_LISTS, ...unique.map(productGeneration)]);
}

/** Makes the cached category tree, and everything that embeds categories, obsolete. */
export async function invalidateCategories(deps: AppDeps): Promise<void> {
  await raiseGenerations(deps, [CATEGORIES]);
}

async function slugsForSkus(sql: Sql, skus: string[]): Promise<string[]> {
  if (!skus.length) return [];
  const rows = await sql<{ slug: string }[]>`
    select distinct p.slug from variants v join products p on p.id = v.product_id
    where v.sku = any(${skus})`;
  return rows.map((r) => r.slug);
}

/**
 * For writers outside the catalog that change stock or prices (checkout,
 * cancellation, reservation expiry): call after committing, with the SKUs
 * touched, so no instance serves a product or list page older than the
 * write. Never throws for cache trouble; the lookup of slugs uses the primary.
 */
export async function invalidateProductsBySku(deps: AppDeps, skus: string[]): Promise<void> {
  const unique = [...new Set(skus)];
  if (!unique.length) return;
  const slugs = await slugsForSkus(deps.db.primary, unique);
  await invalidateProducts(deps, slugs);
}

/**
 * `invalidateProductsBySku` for writers that change stock after their commit
 * (checkout, cancellation, reservation expiry). Failures are logged, not
 * raised: the write is done, and the outbox event carrying the same SKUs makes
 * the catalog consumer invalidate again.
 */
export async function stockChanged(deps: AppDeps, skus: string[]): Promise<void> {
  if (!skus.length) return;
  try {
    await invalidateProductsBySku(deps, skus);
  } catch (err) {
    deps.logger.warn("catalog invalidation failed; the outbox event will retry it", { skus, err });
  }
}

function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function skusOf(data: Record<string, unknown>): string[] {
  const skus = [...stringsIn(data.skus)];
  if (typeof data.sku === "string") skus.push(data.sku);
  for (const key of ["items", "lines", "variants"]) {
    const list = data[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const sku = (item as { sku?: unknown } | null)?.sku;
      if (typeof sku === "string") skus.push(sku);
    }
  }
  return skus;
}

/** The event types `onCatalogEvent` acts on (what its consumer subscribes to). */
export const CATALOG_EVENT_TYPES: readonly DomainEvent["type"][] = [
  "product.created",
  "product.updated",
  "product.archived",
  "review.created",
  "inventory.changed",
  "order.placed",
  "order.cancelled",
  "order.status_changed",
];

/**
 * The second invalidation, driven by the outbox: the events relay/consumer
 * calls this for every event it delivers (unrelated events are ignored). It
 * repeats the raise the writing request made after its commit, so that a
 * crash between commit and that raise heals once the event is processed.
 * Idempotent: raising a generation again only costs a rebuild.
 */
export async function onCatalogEvent(
  deps: AppDeps,
  event: Pick<DomainEvent, "type" | "data">,
): Promise<void> {
  const data = event.data ?? {};
  switch (event.type) {
    case "product.created":
    case "product.updated":
    case "product.archived":
    case "review.created": {
      const slugs = [...stringsIn(data.slugs)];
      for (const key of ["slug", "previous_slug", "product_slug"]) {
        const v = data[key];
        if (typeof v === "string") slugs.push(v);
      }
      const bySku = await slugsForSkus(deps.db.primary, skusOf(data));
      await invalidateProducts(deps, [...slugs, ...bySku]);
      if (data.categories_changed === true) await invalidateCategories(deps);
      return;
    }
    case "inventory.changed":
    case "order.placed":
    case "order.cancelled":
      await invalidateProductsBySku(deps, skusOf(data));
      return;
    // A refund from paid/fulfilled puts stock back under this event type.
    case "order.status_changed":
      if (data.restocked === true) await invalidateProductsBySku(deps, skusOf(data));
      return;
    default:
      return;
  }
}
