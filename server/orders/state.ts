import type { EventType } from "../core/outbox.ts";

/** Every order status of API.md. */
export const ORDER_STATUSES = [
  "pending",
  "review",
  "paid",
  "fulfilled",
  "shipped",
  "delivered",
  "cancelled",
  "refunded",
] as const;

/** An order's status. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The state machine: pending → paid → fulfilled → shipped → delivered, with
 * cancellation before anything is packed and refunds of money taken. A paid
 * order the fraud scorer flags waits in `review` (money captured, stock taken)
 * until staff approve it (→ paid) or reject it (→ cancelled). Anything not
 * listed is a forbidden transition (409).
 */
const allowed: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["paid", "review", "cancelled"],
  review: ["paid", "cancelled"],
  paid: ["fulfilled", "cancelled", "refunded"],
  fulfilled: ["shipped", "refunded"],
  shipped: ["delivered"],
  delivered: ["refunded"],
  cancelled: [],
  refunded: [],
};

/** True when the machine allows `from` → `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return allowed[from].includes(to);
}

/** The statuses reachable from `from`. */
export function nextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return allowed[from];
}

/**
 * Whether moving to `to` puts the order's stock back: the goods have not left
 * the warehouse yet (a delivered order that is refunded comes back through a
 * returns process and an inventory adjustment instead).
 */
export function restocks(from: OrderStatus, to: OrderStatus): boolean {
  return (
    (to === "cancelled" || to === "refunded") &&
    (from === "pending" || from === "review" || from === "paid" || from === "fulfilled")
  );
}

/** The outbox event a transition to `to` writes. */
export function eventFor(to: OrderStatus): EventType {
  if (to === "paid") return "order.paid";
  if (to === "cancelled") return "order.cancelled";
  if (to === "review") return "order.review_required";
  return "order.status_changed";
}
