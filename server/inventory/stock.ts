import type { Sql, TxSql } from "../../db/client.ts";
import { recordEvent } from "../core/outbox.ts";

/** A quantity of one SKU. */
export interface StockLine {
  sku: string;
  quantity: number;
}

/** What made a reservation fail: the SKUs that did not have enough stock. */
export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
}

/** Stock counts below this are shown as `low_stock`. */
const LOW_STOCK_THRESHOLD = 5;

/** `in_stock` | `low_stock` | `out_of_stock` for a quantity. */
export function stockStatus(quantity: number): "in_stock" | "low_stock" | "out_of_stock" {
  if (quantity <= 0) return "out_of_stock";
  return quantity <= LOW_STOCK_THRESHOLD ? "low_stock" : "in_stock";
}

/** Sums quantities per SKU and orders SKUs so every transaction locks rows in the same order. */
function normaliseLines(lines: StockLine[]): StockLine[] {
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  return [...bySku]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * Takes stock for every line inside the caller's transaction: one conditional
 * UPDATE per SKU, SKUs in a fixed order (no deadlocks between checkouts).
 * Returns the shortages; when there are any, the caller must roll back.
 */
export async function reserveStock(tx: TxSql, lines: StockLine[]): Promise<StockShortage[]> {
  const shortages: StockShortage[] = [];
  for (const line of normaliseLines(lines)) {
    const updated = await tx<{ quantity: number }[]>`
      update inventory set quantity = quantity - ${line.quantity}, updated_at = now()
      where sku = ${line.sku} and quantity >= ${line.quantity}
      returning quantity`;
    if (updated.length === 0) {
      const [row] = await tx<{ quantity: number }[]>`select quantity from inventory where sku = ${line.sku}`;
      shortages.push({ sku: line.sku, requested: line.quantity, available: row?.quantity ?? 0 });
    }
  }
  return shortages;
}

/** Puts stock back (cancellation, expired reservation, failed payment). */
export async function releaseStock(tx: TxSql, lines: StockLine[]): Promise<void> {
  for (const line of normaliseLines(lines)) {
    await tx`update inventory set quantity = quantity + ${line.quantity}, updated_at = now() where sku = ${line.sku}`;
  }
}

/**
 * Adjusts one SKU by `delta` with an audit row and an `inventory.changed`
 * event, never below zero. Returns the new quantity, or null when the SKU is
 * unknown; throws `InsufficientStockError` if the result would be negative.
 */
export async function adjustStock(
  tx: TxSql,
  sku: string,
  delta: number,
  reason: string,
  actorId: number | null,
): Promise<number | null> {
  const [row] = await tx<{ quantity: number }[]>`
    update inventory set quantity = quantity + ${delta}, updated_at = now()
    where sku = ${sku} and quantity + ${delta} >= 0
    returning quantity`;
  if (!row) {
    const [exists] = await tx<{ quantity: number }[]>`select quantity from inventory where sku = ${sku}`;
    if (!exists) return null;
    throw new InsufficientStockError(sku, exists.quantity, delta);
  }
  await tx`
    insert into inventory_adjustments (sku, delta, quantity_after, reason, actor_id)
    values (${sku}, ${delta}, ${row.quantity}, ${reason}, ${actorId})`;
  await recordEvent(tx, "inventory.changed", { sku, delta, quantity: row.quantity, reason }, sku);
  return row.quantity;
}

/**
 * Sets one SKU's stock to `quantity` through an audited adjustment (the row is
 * locked first, so the delta is exact). No adjustment when it already is
 * that; null for an unknown SKU.
 */
export async function setStock(
  tx: TxSql,
  sku: string,
  quantity: number,
  reason: string,
  actorId: number | null,
): Promise<number | null> {
  const [row] = await tx<
    { quantity: number }[]
  >`select quantity from inventory where sku = ${sku} for update`;
  if (!row) return null;
  if (row.quantity === quantity) return quantity;
  return adjustStock(tx, sku, quantity - row.quantity, reason, actorId);
}

/** Creates the stock rows of new SKUs, at zero (stock then arrives through adjustments). */
export async function createStockRows(tx: TxSql, skus: string[]): Promise<void> {
  if (!skus.length) return;
  await tx`insert into inventory ${tx(
    skus.map((sku) => ({ sku, quantity: 0 })),
    "sku",
    "quantity",
  )}`;
}

/** Raised when an adjustment would take stock below zero. */
export class InsufficientStockError extends Error {
  constructor(
    readonly sku: string,
    readonly available: number,
    readonly delta: number,
  ) {
    super(`adjusting ${sku} by ${delta} would go below zero (have ${available})`);
    this.name = "InsufficientStockError";
  }
}

/**
 * An SQL expression for the stock on hand of the SKU in column `skuColumn`
 * (0 when it has no stock row), for read statements of other modules that
 * show stock (the catalog's product page): the inventory table is read here.
 */
export function stockOnHandSql(sql: Sql | TxSql, skuColumn: string) {
  return sql`coalesce((select i.quantity from inventory i where i.sku = ${sql(skuColumn)}), 0)`;
}

/** Current quantities for the given SKUs (missing SKUs are absent from the map). */
export async function getStock(sql: Sql | TxSql, skus: string[]): Promise<Map<string, number>> {
  if (!skus.length) return new Map();
  const rows = await sql<
    { sku: string; quantity: number }[]
  >`select sku, quantity from inventory where sku = any(${skus})`;
  return new Map(rows.map((r) => [r.sku, r.quantity]));
}
