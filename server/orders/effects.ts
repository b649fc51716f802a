import { invalidateProductsBySku } from "../catalog/invalidate.ts";
import type { PaymentProvider } from "../checkout/payment-provider.ts";
import type { AppDeps } from "../core/deps.ts";
import type { PaymentRow } from "./payments.ts";

/** Payment providers by the name stored on payment records. */
export type ProviderRegistry = ReadonlyMap<string, PaymentProvider>;

/**
 * Tells catalog caches that stock changed, after the commit. Failures are
 * logged, not raised: the write is done, and the outbox event carrying the
 * same SKUs makes the catalog consumer invalidate again.
 */
export async function stockChanged(deps: AppDeps, skus: string[]): Promise<void> {
  if (!skus.length) return;
  try {
    await invalidateProductsBySku(deps, skus);
  } catch (err) {
    deps.logger.warn("catalog invalidation failed; the outbox event will retry it", { skus, err });
  }
}

/**
 * Sends refunds for payments already marked refunded in the committed
 * transaction. A provider failure is logged for follow-up; it must not undo
 * the cancellation the customer asked for.
 */
export async function sendRefunds(
  deps: AppDeps,
  providers: ProviderRegistry,
  refunds: PaymentRow[],
): Promise<void> {
  for (const p of refunds) {
    const provider = providers.get(p.provider);
    if (!provider || !p.provider_ref) {
      deps.logger.warn("refund not sent: no provider reference", { payment_id: p.id, provider: p.provider });
      continue;
    }
    try {
      const r = await provider.refund(p.provider_ref, p.amount, p.currency);
      if (!r.ok) deps.logger.error("refund refused by provider", { payment_id: p.id, reason: r.reason });
    } catch (err) {
      deps.logger.error("refund call failed", { payment_id: p.id, err });
    }
  }
}
