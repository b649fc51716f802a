import type { TxSql } from "../../db/client.ts";
import { restoreCart } from "../cart/lifecycle.ts";
import type { RiskVerdict } from "../fraud/assess.ts";
import { recordAttempt } from "../fraud/attempts.ts";
import { findOrder } from "../orders/store.ts";
import { applyTransition, type TransitionEffects } from "../orders/transition.ts";
import { type OrderView, toOrderView } from "../orders/view.ts";
import { type PaymentRow, paymentsOf, setPaymentStatus } from "../payments/records.ts";

/** The result of confirming a captured charge. */
export type Confirmation =
  | { kind: "paid"; view: OrderView }
  /**
   * The order stopped waiting (expired or cancelled) before the money came: give
   * it back — unless the sweeper already did (`refund` null), having seen the capture recorded.
   */
  | { kind: "gone"; refund: PaymentRow | null };

/**
 * Records a captured charge: order pending → paid (`order.paid`, history),
 * payment captured, reservation ended — or pending → review when the fraud
 * verdict says so (`order.review_required`; the stock stays taken). The
 * verdict's score and reasons are stored on the order. Short transaction, no
 * external calls.
 */
export async function confirmPayment(
  tx: TxSql,
  orderId: string,
  paymentId: string,
  providerRef: string,
  risk: RiskVerdict | null = null,
): Promise<Confirmation> {
  const order = await findOrder(tx, orderId, true);
  if (order?.status !== "pending") {
    const before = (await paymentsOf(tx, [orderId])).find((p) => p.id === paymentId);
    if (before?.status === "refunded") return { kind: "gone", refund: null };
    const payment = await setPaymentStatus(tx, paymentId, "refunded", {
      providerRef,
      error: "order no longer pending",
    });
    return { kind: "gone", refund: payment! };
  }
  const payment = await setPaymentStatus(tx, paymentId, "captured", { providerRef });
  // The scorer's history row commits with the order it describes.
  if (risk) await recordAttempt(tx, risk.attempt, risk.review ? "review" : "paid", risk.score);
  const verdict = risk && { score: risk.score, reasons: risk.reasons };
  const effects = risk?.review
    ? await applyTransition(
        tx,
        order,
        "review",
        null,
        `held for fraud review: ${risk.reasons.join(", ")}`,
        verdict,
      )
    : await applyTransition(tx, order, "paid", null, "payment captured", verdict);
  // Built from rows already in hand: this transaction is on every checkout's critical path.
  return { kind: "paid", view: toOrderView(effects.order, effects.lines, [payment!]) };
}

/**
 * Undoes a checkout whose payment did not go through (declined, failed, or
 * never confirmed before the reservation expired): cart back as it was, stock
 * released, order cancelled with `order.cancelled`, payment marked — and a
 * charge the processor captured but the order never confirmed marked refunded
 * and returned in `refunds`, for the caller to send after the commit. Locks in
 * the same order as checkout (order, cart, then inventory rows) so the two
 * never deadlock. Returns null when the order is no longer pending.
 */
export async function abandonCheckout(
  tx: TxSql,
  orderId: string,
  payment: { status: "declined" | "failed"; reason: string },
  risk: RiskVerdict | null = null,
): Promise<TransitionEffects | null> {
  const order = await findOrder(tx, orderId, true);
  if (order?.status !== "pending") return null;
  // Declines are a velocity feature: the attempt is recorded with the cancellation.
  if (risk) await recordAttempt(tx, risk.attempt, payment.status, risk.score);
  if (order.cart_id) await restoreCart(tx, order.cart_id);
  // Before the transition, which would otherwise mark a still-pending payment as merely cancelled.
  const captured: PaymentRow[] = [];
  for (const p of await paymentsOf(tx, [orderId])) {
    if (p.status !== "pending") continue;
    if (p.provider_ref) {
      // The processor took the money but the order was never confirmed: give it back.
      const row = await setPaymentStatus(tx, p.id, "refunded", {
        error: `${payment.reason}; the captured charge is refunded`,
      });
      captured.push(row!);
    } else await setPaymentStatus(tx, p.id, payment.status, { error: payment.reason });
  }
  const effects = await applyTransition(tx, order, "cancelled", null, payment.reason);
  return captured.length ? { ...effects, refunds: [...effects.refunds, ...captured] } : effects;
}
