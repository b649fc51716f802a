import type { Sql, TxSql } from "../../db/client.ts";

/** Units of one SKU sold on one day (UTC), and the mean unit price they sold at. */
export interface DailySale {
  sku: string;
  /** `YYYY-MM-DD`. */
  day: string;
  quantity: number;
  avgUnitPrice: number;
}

/** Statuses whose goods were sold (held, cancelled and refunded orders are not demand). */
const SOLD = ["paid", "fulfilled", "shipped", "delivered"];

/**
 * Daily units sold per SKU over the `days` complete days before today (UTC),
 * for the given SKUs or, with null, every SKU that sold in that window. Days
 * without sales are absent (the caller fills zeros).
 */
export async function dailySales(
  sql: Sql | TxSql,
  skus: string[] | null,
  days: number,
): Promise<DailySale[]> {
  const rows = await sql<{ sku: string; day: string; quantity: string; avg_price: number }[]>`
    select l.sku, to_char(date_trunc('day', o.created_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
           sum(l.quantity) as quantity, (sum(l.line_total)::float8 / sum(l.quantity)) as avg_price
    from orders o join order_lines l on l.order_id = o.id
    where o.status = any(${SOLD}::text[])
      and o.created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - make_interval(days => ${days})
      and o.created_at < date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
      ${skus ? sql`and l.sku = any(${skus}::text[])` : sql``}
    group by l.sku, day
    order by l.sku, day`;
  return rows.map((r) => ({
    sku: r.sku,
    day: r.day,
    quantity: Number(r.quantity),
    avgUnitPrice: r.avg_price,
  }));
}
