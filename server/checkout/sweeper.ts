import { stockChanged } from "../catalog/invalidate.ts";
import type { AppDeps } from "../core/deps.ts";
import { expiredReservations, lockExpired } from "../orders/store.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { sendRefunds } from "../payments/refunds.ts";
import { purgeOldKeys, releaseKeyOfOrder, releaseOrphanedKeys } from "./idempotency.ts";
import { abandonCheckout } from "./settle.ts";

/** How many expired orders one sweep handles at most (the next tick takes the rest). */
const BATCH = 100;

/**
 * Releases the stock of pending orders whose reservation expired (their
 * checkout died or its payment never settled): each order in its own short
 * transaction, locked with SKIP LOCKED so that several instances sweeping at
 * once, or a checkout confirming that very order, never wait on each other.
 * The order is cancelled (`order.cancelled`), the cart given back, and the
 * idempotency key released so the client may retry. Also releases the keys of
 * dead checkouts whose order was cancelled by someone else meanwhile
 * (`releaseOrphanedKeys`). A charge the processor captured for such an order
 * (its checkout died, or could not record the order as paid) is refunded.
 * Returns how many orders it released.
 */
export async function sweepExpiredReservations(
  deps: AppDeps,
  providers: ProviderRegistry,
  limit = BATCH,
): Promise<number> {
  const ids = await expiredReservations(deps.db.primary, limit);
  let released = 0;
  for (const id of ids) {
    const effects = await deps.db.tx(async (tx) => {
      if (!(await lockExpired(tx, id))) return null;
      const effects = await abandonCheckout(tx, id, { status: "failed", reason: "reservation expired" });
      await releaseKeyOfOrder(tx, id);
      return effects;
    });
    if (!effects) continue;
    released++;
    if (effects.refunds.length) {
      deps.logger.warn("refunding a charge captured for an order never confirmed", {
        order_id: id,
        payments: effects.refunds.map((p) => p.id),
      });
      await sendRefunds(deps, providers, effects.refunds);
    }
    await stockChanged(deps, effects.restockedSkus);
  }
  if (released) deps.logger.info("released expired stock reservations", { orders: released });
  await releaseOrphanedKeys(deps.db.primary);
  return released;
}

/**
 * Starts the sweeper on an interval (each app instance runs one; they share
 * the work through SKIP LOCKED). Each run also deletes idempotency keys whose
 * answer is older than KEY_RETENTION_HOURS. Runs once right away so that a restarted
 * instance cleans up after its crashed predecessor. Returns a stop function.
 */
export function startReservationSweeper(
  deps: AppDeps,
  intervalMs: number,
  providers: ProviderRegistry,
): () => void {
  let running = false;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = true;
    sweepExpiredReservations(deps, providers, BATCH)
      .then(() => purgeOldKeys(deps.db.primary))
      .catch((err) => deps.logger.warn("reservation sweep failed", { err }))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref?.();
  tick();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
