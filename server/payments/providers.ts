import type { PaymentProvider } from "./provider.ts";
import { testCardProvider } from "./provider.ts";
import { testCardAllowed } from "./test-card-policy.ts";

/** Payment providers by the name stored on payment records (and sent as `payment.method`). */
export type ProviderRegistry = ReadonlyMap<string, PaymentProvider>;

/**
 * The payment providers this build ships, by `payment.method` name. In
 * production `test_card` is left out unless PAYMENTS_TEST_CARD=1, so a
 * checkout naming it is refused (422 on `payment.method`).
 */
export function defaultProviders(env: Record<string, string | undefined> = process.env): ProviderRegistry {
  const providers = new Map<string, PaymentProvider>();
  if (testCardAllowed(env)) {
    const test = testCardProvider();
    providers.set(test.name, test);
  }
  return providers;
}
