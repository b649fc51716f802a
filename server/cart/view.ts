import type { Sql, TxSql } from "../../db/client.ts";
import { getSkuDetails, type SkuDetails } from "../catalog/skus.ts";
import { computeAmounts, type Money, money, type PricingRules, type Totals, toTotals } from "./money.ts";
import { type CartItemRow, type CartRow, cartItems } from "./store.ts";

/** One cart line as the API shows it (at today's price). */
export interface CartItemView {
  id: number;
  sku: string;
  title: string;
  quantity: number;
  unit_price: Money;
  line_total: Money;
  /** False when the product was archived after the line was added. */
  available: boolean;
}

/** The cart as every cart route returns it. */
export interface CartView {
  id: string;
  token?: string;
  currency: string;
  items: CartItemView[];
  totals: Totals;
}

/** A SKU's display title: product title plus the variant title when there is one. */
export function skuTitle(d: SkuDetails): string {
  return d.variant_title ? `${d.product_title} – ${d.variant_title}` : d.product_title;
}

/** Prices lines with the catalog's current prices; SKUs the catalog no longer knows are left out. */
export async function priceLines(
  sql: Sql | TxSql,
  lines: CartItemRow[],
): Promise<{ line: CartItemRow; details: SkuDetails }[]> {
  const details = new Map(
    (
      await getSkuDetails(
        sql,
        lines.map((l) => l.sku),
      )
    ).map((d) => [d.sku, d]),
  );
  const out: { line: CartItemRow; details: SkuDetails }[] = [];
  for (const line of lines) {
    const d = details.get(line.sku);
    if (d) out.push({ line, details: d });
  }
  return out;
}

/** Loads the lines of `cart`, prices them and computes the totals. */
export async function cartView(
  sql: Sql | TxSql,
  cart: CartRow,
  rules: PricingRules,
  token?: string,
): Promise<CartView> {
  const priced = await priceLines(sql, await cartItems(sql, cart.id));
  const items = priced.map(({ line, details }) => ({
    id: line.id,
    sku: line.sku,
    title: skuTitle(details),
    quantity: line.quantity,
    unit_price: money(details.price, details.currency),
    line_total: money(details.price * line.quantity, details.currency),
    available: details.status === "active",
  }));
  const amounts = computeAmounts(
    items.filter((i) => i.available).map((i) => i.line_total.amount),
    rules,
  );
  return {
    id: cart.id,
    ...(token ? { token } : {}),
    currency: cart.currency,
    items,
    totals: toTotals(amounts, cart.currency),
  };
}
