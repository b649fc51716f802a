import type { Sql, TxSql } from "../../db/client.ts";

/** The SKU rule (the `variants.sku` check of the schema): 1–64 letters, digits, '.', '_' or '-'. */
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** True when `s` can be a SKU; anything else names none (and never reaches a query). */
export function isSku(s: string): boolean {
  return SKU.test(s);
}

/** What the cart and checkout need to know about one SKU. */
export interface SkuDetails {
  sku: string;
  product_id: number;
  product_title: string;
  variant_title: string;
  /** Unit price in minor units. */
  price: number;
  currency: string;
  /** The product's status: only `active` products may be sold. */
  status: "active" | "archived";
}

interface SkuRow {
  sku: string;
  product_id: string;
  product_title: string;
  variant_title: string;
  price: string;
  currency: string;
  status: "active" | "archived";
}

/**
 * Looks up SKUs (unknown ones are simply absent from the result). Pass the
 * transaction when prices must match what the caller is about to write; pass
 * `db.reader()` or the primary for plain reads.
 */
export async function getSkuDetails(sql: Sql | TxSql, skus: string[]): Promise<SkuDetails[]> {
  if (!skus.length) return [];
  const rows = await sql<SkuRow[]>`
    select v.sku, v.product_id, p.title as product_title, v.title as variant_title,
           v.price, v.currency, p.status
    from variants v join products p on p.id = v.product_id
    where v.sku = any(${skus})
    order by v.sku`;
  return rows.map((r) => ({
    sku: r.sku,
    product_id: Number(r.product_id),
    product_title: r.product_title,
    variant_title: r.variant_title,
    // int8 arrives as a string; prices are far below 2^53 minor units.
    price: Number(r.price),
    currency: r.currency.trim(),
    status: r.status,
  }));
}
