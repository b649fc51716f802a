import type { Sql, TxSql } from "../../db/client.ts";

/** One audited stock adjustment, newest first in lists. */
export interface StockAdjustment {
  id: number;
  sku: string;
  delta: number;
  quantity_after: number;
  reason: string;
  /** The staff member who made it; null for system adjustments (seed, imports). */
  actor_id: number | null;
  created_at: string;
}

interface AdjustmentRow {
  id: string;
  sku: string;
  delta: number;
  quantity_after: number;
  reason: string;
  actor_id: string | null;
  created_at: Date;
}

/**
 * The audit list of the given SKUs (a product's variants): who changed the
 * stock, when, by how much and why, newest first, at most `limit` rows.
 */
export async function listAdjustments(
  sql: Sql | TxSql,
  skus: string[],
  limit = 50,
): Promise<StockAdjustment[]> {
  if (!skus.length) return [];
  const rows = await sql<AdjustmentRow[]>`
    select id, sku, delta, quantity_after, reason, actor_id, created_at
    from inventory_adjustments where sku = any(${skus})
    order by created_at desc, id desc limit ${limit}`;
  return rows.map((r) => ({
    id: Number(r.id),
    sku: r.sku,
    delta: r.delta,
    quantity_after: r.quantity_after,
    reason: r.reason,
    actor_id: r.actor_id === null ? null : Number(r.actor_id),
    created_at: r.created_at.toISOString(),
  }));
}
