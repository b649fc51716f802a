import type { Sql, TxSql } from "../../db/client.ts";
import type { OrderStatus } from "./state.ts";

/** A shipping address as the checkout body gives it. */
export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postal_code: string;
  country: string;
}

/** An order row, amounts in minor units. */
export interface OrderRow {
  id: string;
  user_id: number;
  cart_id: string | null;
  status: OrderStatus;
  currency: string;
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  shipping_address: ShippingAddress;
  reservation_expires_at: Date | null;
  stock_released: boolean;
  /** The fraud scorer's score (0..1) and reasons; null when the order was not scored. */
  risk_score: number | null;
  risk_reasons: string[] | null;
  created_at: Date;
  updated_at: Date;
}

/** An order line, priced when the order was placed. */
export interface OrderLineRow {
  order_id: string;
  sku: string;
  title: string;
  quantity: number;
  unit_price: number;
  line_total: number;
}

/** A new order with its lines. */
export interface NewOrder {
  userId: number;
  cartId: string | null;
  currency: string;
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
  shippingAddress: ShippingAddress;
  reservationSeconds: number;
  lines: { sku: string; title: string; quantity: number; unit_price: number }[];
}

type Raw<T> = { [K in keyof T]: T[K] extends number ? string | number : T[K] };

const orderColumns = (sql: Sql | TxSql) => sql`
  id, user_id, cart_id, status, currency, subtotal, shipping, tax, total, shipping_address,
  reservation_expires_at, stock_released, risk_score, risk_reasons, created_at, updated_at`;

function toOrder(r: Raw<OrderRow>): OrderRow {
  return {
    ...r,
    user_id: Number(r.user_id),
    currency: r.currency.trim(),
    subtotal: Number(r.subtotal),
    shipping: Number(r.shipping),
    tax: Number(r.tax),
    total: Number(r.total),
    risk_score: r.risk_score === null ? null : Number(r.risk_score),
  };
}

function toLine(r: Raw<OrderLineRow>): OrderLineRow {
  return {
    ...r,
    quantity: Number(r.quantity),
    unit_price: Number(r.unit_price),
    line_total: Number(r.line_total),
  };
}

/** Inserts a pending order holding a reservation that expires after `reservationSeconds`, and its lines. */
export async function insertOrder(tx: TxSql, o: NewOrder): Promise<OrderRow> {
  // One statement (order, lines, first history row): checkout runs it on every order.
  const [row] = await tx<Raw<OrderRow>[]>`
    with o as (
      insert into orders (user_id, cart_id, status, currency, subtotal, shipping, tax, total,
                          shipping_address, reservation_expires_at)
      values (${o.userId}, ${o.cartId}, 'pending', ${o.currency}, ${o.subtotal}, ${o.shipping}, ${o.tax},
              ${o.total}, ${tx.json({ ...o.shippingAddress })},
              now() + make_interval(secs => ${o.reservationSeconds}))
      returning ${orderColumns(tx)}
    ), lines as (
      insert into order_lines (order_id, sku, title, quantity, unit_price, line_total)
      select o.id, l.sku, l.title, l.quantity, l.unit_price, l.unit_price * l.quantity
      from o, unnest(${o.lines.map((l) => l.sku)}::text[], ${o.lines.map((l) => l.title)}::text[],
                     ${o.lines.map((l) => l.quantity)}::int[], ${o.lines.map((l) => l.unit_price)}::bigint[])
             with ordinality as l(sku, title, quantity, unit_price, n)
      order by l.n
    ), history as (
      insert into order_status_history (order_id, from_status, to_status, actor_id)
      select o.id, null, 'pending', ${o.userId} from o
    )
    select * from o`;
  return toOrder(row!);
}

/** One order; `lock` takes the row lock every status change goes through. */
export async function findOrder(sql: Sql | TxSql, id: string, lock = false): Promise<OrderRow | null> {
  const rows = lock
    ? await sql<Raw<OrderRow>[]>`select ${orderColumns(sql)} from orders where id = ${id} for update`
    : await sql<Raw<OrderRow>[]>`select ${orderColumns(sql)} from orders where id = ${id}`;
  return rows[0] ? toOrder(rows[0]) : null;
}

/** The lines of the given orders. */
export async function orderLines(sql: Sql | TxSql, orderIds: string[]): Promise<OrderLineRow[]> {
  if (!orderIds.length) return [];
  const rows = await sql<Raw<OrderLineRow>[]>`
    select order_id, sku, title, quantity, unit_price, line_total
    from order_lines where order_id = any(${orderIds}::uuid[]) order by id`;
  return rows.map(toLine);
}

/** Filters of an order listing. */
export interface OrderFilter {
  userId?: number;
  status?: OrderStatus;
  page: number;
  pageSize: number;
}

/** One page of orders, newest first, and the number matching the filter. */
export async function listOrders(sql: Sql, f: OrderFilter): Promise<{ rows: OrderRow[]; total: number }> {
  const where = sql`where true
    ${f.userId === undefined ? sql`` : sql`and user_id = ${f.userId}`}
    ${f.status === undefined ? sql`` : sql`and status = ${f.status}`}`;
  const [rows, [count]] = await Promise.all([
    sql<Raw<OrderRow>[]>`
      select ${orderColumns(sql)} from orders ${where}
      order by created_at desc, id desc
      limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
    sql<{ n: string }[]>`select count(*) as n from orders ${where}`,
  ]);
  return { rows: rows.map(toOrder), total: Number(count?.n ?? 0) };
}

/** The fraud scorer's verdict as stored on an order. */
export interface OrderRisk {
  score: number;
  reasons: string[];
}

/**
 * Moves a locked order to `to`, with a history row. `released` records that
 * its stock went back; leaving `pending` ends the reservation. `risk` (the
 * checkout's confirmation) is stored in the same statement.
 */
export async function setOrderStatus(
  tx: TxSql,
  order: OrderRow,
  to: OrderStatus,
  actorId: number | null,
  released: boolean,
  risk: OrderRisk | null = null,
): Promise<OrderRow> {
  const [row] = await tx<Raw<OrderRow>[]>`
    update orders set status = ${to},
      stock_released = stock_released or ${released},
      risk_score = coalesce(${risk?.score ?? null}::real, risk_score),
      risk_reasons = coalesce(${risk ? tx.json(risk.reasons) : null}::jsonb, risk_reasons),
      reservation_expires_at = null,
      updated_at = now()
    where id = ${order.id}
    returning ${orderColumns(tx)}`;
  await tx`insert into order_status_history (order_id, from_status, to_status, actor_id)
           values (${order.id}, ${order.status}, ${to}, ${actorId})`;
  return toOrder(row!);
}

/** Those of `ids` that are no longer pending (paid, cancelled, ...). */
export async function settledOrders(sql: Sql, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await sql<{ id: string }[]>`
    select id from orders where id = any(${ids}::uuid[]) and status <> 'pending'`;
  return rows.map((r) => r.id);
}

/**
 * Pending orders whose reservation has run out, oldest first. No lock: the
 * sweeper locks each one (skipping locked rows) in its own transaction.
 */
export async function expiredReservations(sql: Sql, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from orders
    where status = 'pending' and not stock_released and reservation_expires_at < now()
    order by reservation_expires_at limit ${limit}`;
  return rows.map((r) => r.id);
}

/** Locks one order if it is still an expired pending reservation and nobody else holds it. */
export async function lockExpired(tx: TxSql, id: string): Promise<OrderRow | null> {
  const rows = await tx<Raw<OrderRow>[]>`
    select ${orderColumns(tx)} from orders
    where id = ${id} and status = 'pending' and not stock_released and reservation_expires_at < now()
    for update skip locked`;
  return rows[0] ? toOrder(rows[0]) : null;
}
