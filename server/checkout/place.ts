import type { TxSql } from "../../db/client.ts";
import { HttpProblem } from "../../platform/problem.ts";
import { convertCart } from "../cart/lifecycle.ts";
import { computeAmounts, type PricingRules } from "../cart/money.ts";
import { type CartCaller, resolveCart } from "../cart/service.ts";
import { cartItems } from "../cart/store.ts";
import { priceLines, skuTitle } from "../cart/view.ts";
import { recordEvent } from "../core/outbox.ts";
import { reserveStock, type StockShortage } from "../inventory/stock.ts";
import { insertOrder, type OrderLineRow, type OrderRow, type ShippingAddress } from "../orders/store.ts";
import { insertPayment, type PaymentRow } from "../payments/records.ts";
import { attachOrder } from "./idempotency.ts";

/** Raised inside the checkout transaction when stock ran out; the transaction rolls back. */
export class OutOfStockError extends Error {
  constructor(readonly shortages: StockShortage[]) {
    super(`not enough stock for ${shortages.map((s) => s.sku).join(", ")}`);
    this.name = "OutOfStockError";
  }
}

/** What the checkout transaction needs. */
export interface PlaceInput {
  userId: number;
  idempotencyKey: string;
  cart: CartCaller;
  cartTokenSecret: string;
  shippingAddress: ShippingAddress;
  provider: string;
  rules: PricingRules;
  reservationSeconds: number;
}

/** A committed, pending order holding its stock. */
export interface Placed {
  order: OrderRow;
  lines: Pick<OrderLineRow, "sku" | "quantity">[];
  payment: PaymentRow;
}

/**
 * The checkout transaction: lock the cart, re-read prices, create the pending
 * order with its lines and payment record, write `order.placed`, convert the
 * cart, and reserve stock with one conditional UPDATE per SKU in SKU order.
 * Reserving comes last so the hot inventory rows stay locked only for the
 * commit. Throws `OutOfStockError` (caller rolls back) or a 422 problem.
 */
export async function placeOrder(tx: TxSql, input: PlaceInput): Promise<Placed> {
  const cart = await resolveCart(tx, input.cart, input.cartTokenSecret);
  const stored = await cartItems(tx, cart.id);
  if (!stored.length) throw new HttpProblem(422, "cart-empty", "The cart is empty.");
  const priced = await priceLines(tx, stored);
  const gone = stored.filter((l) => !priced.some((p) => p.line.id === l.id && p.details.status === "active"));
  if (gone.length) {
    throw new HttpProblem(
      422,
      "items-unavailable",
      "Some items are no longer sold; remove them first.",
      undefined,
      {
        skus: gone.map((l) => l.sku),
      },
    );
  }
  const currency = priced[0]!.details.currency;
  if (priced.some((p) => p.details.currency !== currency)) {
    throw new HttpProblem(422, "mixed-currency", "The cart holds items priced in different currencies.");
  }
  const lines = priced.map(({ line, details }) => ({
    sku: line.sku,
    title: skuTitle(details),
    quantity: line.quantity,
    unit_price: details.price,
  }));
  const amounts = computeAmounts(
    lines.map((l) => l.unit_price * l.quantity),
    input.rules,
  );
  const order = await insertOrder(tx, {
    userId: input.userId,
    cartId: cart.id,
    currency,
    ...amounts,
    shippingAddress: input.shippingAddress,
    reservationSeconds: input.reservationSeconds,
    lines,
  });
  const payment = await insertPayment(tx, order.id, input.provider, amounts.total, currency);
  await attachOrder(tx, input.userId, input.idempotencyKey, order.id);
  await convertCart(tx, cart.id);
  await recordEvent(
    tx,
    "order.placed",
    {
      order_id: order.id,
      user_id: input.userId,
      status: order.status,
      total: { amount: order.total, currency },
      items: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unit_price: l.unit_price })),
    },
    order.id,
  );
  const shortages = await reserveStock(tx, lines);
  if (shortages.length) throw new OutOfStockError(shortages);
  return { order, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), payment };
}
