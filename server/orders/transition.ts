import type { TxSql } from "../../db/client.ts";
import { conflict } from "../../platform/problem.ts";
import { stockChanged } from "../catalog/invalidate.ts";
import type { AppDeps } from "../core/deps.ts";
import { recordEvent } from "../core/outbox.ts";
import { releaseStock } from "../inventory/stock.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { type PaymentRow, paymentsOf, setPaymentStatus } from "../payments/records.ts";
import { sendRefunds } from "../payments/refunds.ts";
import { canTransition, eventFor, nextStatuses, type OrderStatus, restocks } from "./state.ts";
import { type OrderLineRow, type OrderRisk, type OrderRow, orderLines, setOrderStatus } from "./store.ts";

/** Work left for after the commit: refunds to send to the provider and SKUs whose stock changed. */
export interface TransitionEffects {
  order: OrderRow;
  /** The order's lines (read anyway for the event; saves callers a query). */
  lines: OrderLineRow[];
  /** Captured payments now marked refunded; the provider is told after the commit. */
  refunds: PaymentRow[];
  /** SKUs put back into stock (catalog caches must forget them). */
  restockedSkus: string[];
}

/**
 * The work of a committed transition that happens outside the database:
 * catalog caches forget the restocked SKUs, then the provider refunds go out.
 */
export async function afterTransition(
  deps: AppDeps,
  providers: ProviderRegistry,
  effects: TransitionEffects,
): Promise<void> {
  await stockChanged(deps, effects.restockedSkus);
  await sendRefunds(deps, providers, effects.refunds);
}

/**
 * Applies one state-machine step to a row-locked order inside `tx`: checks it
 * (409 naming the allowed targets otherwise), restocks when the goods never
 * left, marks captured payments refunded on cancel/refund, writes the history
 * row and the outbox event. Provider refunds happen after the commit, never
 * while the order row is locked.
 */
export async function applyTransition(
  tx: TxSql,
  order: OrderRow,
  to: OrderStatus,
  actorId: number | null,
  reason?: string,
  /** The fraud verdict to store with the move (checkout's confirmation). */
  risk: OrderRisk | null = null,
): Promise<TransitionEffects> {
  if (!canTransition(order.status, to)) {
    throw conflict(`An order that is ${order.status} cannot become ${to}.`, "invalid-transition", {
      from: order.status,
      to,
      allowed: nextStatuses(order.status),
    });
  }
  const lines = await orderLines(tx, [order.id]);
  const restock = restocks(order.status, to) && !order.stock_released;
  if (restock) await releaseStock(tx, lines);

  const refunds: PaymentRow[] = [];
  if (to === "cancelled" || to === "refunded") {
    for (const p of await paymentsOf(tx, [order.id])) {
      if (p.status === "captured" || p.status === "authorized") {
        await setPaymentStatus(tx, p.id, "refunded");
        refunds.push(p);
      } else if (p.status === "pending") {
        // Cancelled before its charge settled (its checkout died or is still charging):
        // no payment will complete for it. A capture that still arrives is refunded
        // by the checkout's confirmation, which finds the order no longer pending.
        await setPaymentStatus(tx, p.id, "failed", { error: "order cancelled before the payment completed" });
      }
    }
  }

  const updated = await setOrderStatus(tx, order, to, actorId, restock, risk);
  await recordEvent(
    tx,
    eventFor(to),
    {
      order_id: order.id,
      user_id: order.user_id,
      from: order.status,
      to,
      total: { amount: order.total, currency: order.currency },
      restocked: restock,
      // The catalog's outbox consumer reads `items[].sku` to refresh cached stock.
      items: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      ...(reason ? { reason } : {}),
    },
    order.id,
  );
  return { order: updated, lines, refunds, restockedSkus: restock ? lines.map((l) => l.sku) : [] };
}
