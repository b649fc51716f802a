import { type ChargeRequest, type ChargeResult, type PaymentProvider, testCardProvider } from "./provider.ts";

/**
 * The test_card provider with its calls recorded and, when `held`, its charges
 * waiting until the test calls `open()` — so "still charging" and "the payment
 * outlives its reservation" are reproducible without timing. Refunds succeed.
 */
export function controlledProvider(opts: { held?: boolean } = {}) {
  const inner = testCardProvider();
  const charges: ChargeRequest[] = [];
  const refunds: { providerRef: string; amount: number; currency: string }[] = [];
  let open: () => void = () => {};
  const gate = opts.held
    ? new Promise<void>((r) => {
        open = r;
      })
    : null;
  let started: () => void = () => {};
  const firstCharge = new Promise<void>((r) => {
    started = r;
  });
  const provider: PaymentProvider = {
    name: "test_card",
    async charge(req): Promise<ChargeResult> {
      charges.push(req);
      started();
      if (gate) await gate;
      return inner.charge(req);
    },
    async refund(providerRef, amount, currency) {
      refunds.push({ providerRef, amount, currency });
      return { ok: true };
    },
  };
  return { provider, charges, refunds, firstCharge, open: () => open() };
}
