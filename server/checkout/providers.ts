import type { PaymentProvider } from "./payment-provider.ts";
import { testCardProvider } from "./payment-provider.ts";

/** The payment providers this build ships, by `payment.method` name. */
export function defaultProviders(): ReadonlyMap<string, PaymentProvider> {
  const test = testCardProvider();
  return new Map([[test.name, test]]);
}
