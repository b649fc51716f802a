import type { Sql, TxSql } from "../../db/client.ts";
import { type Money, money, type Totals } from "../cart/money.ts";
import { type PaymentRow, type PaymentStatus, paymentsOf } from "../payments/records.ts";
import type { OrderStatus } from "./state.ts";
import { type OrderLineRow, type OrderRow, orderLines, type ShippingAddress } from "./store.ts";

/** An order as API.md shows it (plus `currency`, `payment` and `updated_at`). */
export interface OrderView {
  id: string;
  status: OrderStatus;
  currency: string;
  items: { sku: string; title: string; quantity: number; unit_price: Money; line_total: Money }[];
  totals: Totals;
  shipping_address: ShippingAddress;
  payment: { method: string; status: PaymentStatus } | null;
  created_at: string;
  updated_at: string;
  /** Only on staff views. */
  user_id?: number;
  /** Only on staff views: the fraud scorer's score (0..1) and reasons, null when not scored. */
  risk?: { score: number; reasons: string[] } | null;
}

/** Shapes one order from its row, lines and payments. */
export function toOrderView(
  o: OrderRow,
  lines: OrderLineRow[],
  payments: PaymentRow[],
  staff = false,
): OrderView {
  const c = o.currency;
  const last = payments.at(-1);
  return {
    id: o.id,
    status: o.status,
    currency: c,
    items: lines.map((l) => ({
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unit_price: money(l.unit_price, c),
      line_total: money(l.line_total, c),
    })),
    totals: {
      subtotal: money(o.subtotal, c),
      shipping: money(o.shipping, c),
      tax: money(o.tax, c),
      total: money(o.total, c),
    },
    shipping_address: o.shipping_address,
    payment: last ? { method: last.provider, status: last.status } : null,
    created_at: o.created_at.toISOString(),
    updated_at: o.updated_at.toISOString(),
    ...(staff
      ? {
          user_id: o.user_id,
          risk: o.risk_score === null ? null : { score: o.risk_score, reasons: o.risk_reasons ?? [] },
        }
      : {}),
  };
}

/** Loads lines and payments for `orders` (two queries for any number) and shapes them. */
export async function orderViews(sql: Sql | TxSql, orders: OrderRow[], staff = false): Promise<OrderView[]> {
  const ids = orders.map((o) => o.id);
  const [lines, payments] = await Promise.all([orderLines(sql, ids), paymentsOf(sql, ids)]);
  return orders.map((o) =>
    toOrderView(
      o,
      lines.filter((l) => l.order_id === o.id),
      payments.filter((p) => p.order_id === o.id),
      staff,
    ),
  );
}
