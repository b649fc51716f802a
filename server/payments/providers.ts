import type { PaymentProvider } from "./provider.ts";
import { testCardProvider } from "./provider.ts";

/** Payment providers by the name stored on payment records (and sent as `payment.method`). */
export type ProviderRegistry = ReadonlyMap<string, PaymentProvider>;

/** The payment providers this build ships, by `payment.method` name. */
export function defaultProviders(): ProviderRegistry {
  const test = testCardProvider();
  return new Map([[test.name, test]]);
}
