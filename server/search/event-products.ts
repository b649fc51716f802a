import type { Sql } from "../../db/client.ts";
import type { DomainEvent } from "../core/outbox.ts";

/** Events after which a product's search entry may be stale (text, price, stock or rating). */
export const SEARCH_EVENT_TYPES = [
  "product.created",
  "product.updated",
  "product.archived",
  "inventory.changed",
  "review.created",
  // Checkout and cancellation move stock, which can flip in_stock.
  "order.placed",
  "order.cancelled",
] as const;

function positiveInt(v: unknown): number | null {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : null;
}

function skusIn(data: Record<string, unknown>): string[] {
  const skus: string[] = typeof data.sku === "string" ? [data.sku] : [];
  if (Array.isArray(data.items)) {
    for (const item of data.items) {
      const sku = (item as { sku?: unknown } | null)?.sku;
      if (typeof sku === "string") skus.push(sku);
    }
  }
  return skus;
}

/**
 * The products an event concerns: named by id (`product.*`: `id`,
 * `review.created`: `product_id`) or through SKUs (`inventory.changed`:
 * `sku`; orders: `items[].sku`), looked up on the primary because the event
 * may be newer than what a replica has replayed.
 */
export async function productIdsOf(sql: Sql, event: DomainEvent): Promise<number[]> {
  const direct = positiveInt(event.data.id ?? event.data.product_id);
  if (event.type.startsWith("product.") || event.type === "review.created") return direct ? [direct] : [];
  const skus = [...new Set(skusIn(event.data))];
  if (!skus.length) return [];
  const rows = await sql<{ id: number }[]>`
    select distinct product_id::float8 as id from variants where sku = any(${skus}::text[])`;
  return rows.map((r) => r.id);
}
