import type { PaymentProvider } from "./payment-provider.ts";
import { testCardProvider } from "./payment-provider.ts";
import { testCardAllowed } from "./test-card-policy.ts";

/**
 * The payment providers this build ships, by `payment.method` name. In
 * production `test_card` is left out unless PAYMENTS_TEST_CARD=1, so a
 * checkout naming it is refused (422 on `payment.method`).
 */
export function defaultProviders(
  env: Record<string, string | undefined> = process.env,
): ReadonlyMap<string, PaymentProvider> {
  const providers = new Map<string, PaymentProvider>();
  if (testCardAllowed(env)) {
    const test = testCardProvider();
    providers.set(test.name, test);
  }
  return providers;
}
