import { bool, defineSettings, knob } from "../../platform/settings.ts";

/**
 * Whether the `test_card` provider is offered. It takes money for nothing
 * (`tok_visa` pays), so a production process refuses it unless the operator
 * turns it on on purpose (a staging shop, a load test).
 */
export const paymentSettings = defineSettings("payments", {
  PAYMENTS_TEST_CARD: knob(
    bool.optional(),
    undefined,
    "offer the `test_card` payment provider (`tok_visa` pays): on in development and test, refused in production unless set to 1",
    { shownDefault: "on outside production" },
  ),
});

/** True when `test_card` may be used in a process with this environment (unset NODE_ENV = production). */
export function testCardAllowed(env: Record<string, string | undefined> = process.env): boolean {
  const { PAYMENTS_TEST_CARD } = paymentSettings.load(env);
  if (PAYMENTS_TEST_CARD !== undefined) return PAYMENTS_TEST_CARD;
  return (env.NODE_ENV || "production") !== "production";
}
