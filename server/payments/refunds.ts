import type { Logger } from "../../platform/logger.ts";
import type { ProviderRegistry } from "./providers.ts";
import type { PaymentRow } from "./records.ts";

/**
 * Sends refunds for payments already marked refunded in the committed
 * transaction. A provider failure is logged for follow-up; it must not undo
 * the cancellation the customer asked for.
 */
export async function sendRefunds(
  deps: { logger: Logger },
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
