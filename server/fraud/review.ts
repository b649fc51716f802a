import type { Sql } from "../../db/client.ts";
import { conflict, notFound } from "../../platform/problem.ts";
import type { AppDeps } from "../core/deps.ts";
import { recordEvent } from "../core/outbox.ts";
import type { AuthUser } from "../core/roles.ts";
import { findOrder, listOrders } from "../orders/store.ts";
import { afterTransition, applyTransition } from "../orders/transition.ts";
import { type OrderView, orderViews } from "../orders/view.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { setAttemptOutcome } from "./attempts.ts";

/** A staff decision on an order held for review. */
export type ReviewDecision = "approve" | "reject";

/** One page of orders waiting for review, oldest first is not needed: newest first, as every order list. */
export async function ordersInReview(
  sql: Sql,
  page: number,
  pageSize: number,
): Promise<{ items: OrderView[]; total: number }> {
  const { rows, total } = await listOrders(sql, { status: "review", page, pageSize });
  return { items: await orderViews(sql, rows, true), total };
}

/**
 * Settles a held order: approve → paid (`order.paid` and
 * `order.review_approved`), reject → cancelled with the payment refunded and
 * the stock put back (`order.cancelled` and `order.review_rejected`). Both
 * name the deciding staff member; the status history records them too. 409
 * when the order is not (or no longer) in review.
 */
export async function decideReview(
  deps: AppDeps,
  providers: ProviderRegistry,
  orderId: string,
  actor: AuthUser,
  decision: ReviewDecision,
  note: string | undefined,
): Promise<OrderView> {
  const { effects, view } = await deps.db.tx(async (tx) => {
    const order = await findOrder(tx, orderId, true);
    if (!order) throw notFound(`Order ${orderId} was not found.`);
    if (order.status !== "review") {
      throw conflict(`The order is ${order.status}, not waiting for review.`, "not-in-review", {
        status: order.status,
      });
    }
    const approve = decision === "approve";
    const reason = `fraud review ${approve ? "approved" : "rejected"} by ${actor.email}${note ? `: ${note}` : ""}`;
    const effects = await applyTransition(tx, order, approve ? "paid" : "cancelled", actor.id, reason);
    await recordEvent(
      tx,
      approve ? "order.review_approved" : "order.review_rejected",
      {
        order_id: order.id,
        user_id: order.user_id,
        reviewer_id: actor.id,
        risk_score: order.risk_score,
        risk_reasons: order.risk_reasons ?? [],
        total: { amount: order.total, currency: order.currency },
        ...(note ? { note } : {}),
      },
      order.id,
    );
    await setAttemptOutcome(tx, order.id, approve ? "paid" : "rejected");
    return { effects, view: (await orderViews(tx, [effects.order], true))[0]! };
  });
  await afterTransition(deps, providers, effects);
  return view;
}
