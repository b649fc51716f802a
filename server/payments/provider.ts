/**
 * The payment boundary. Checkout never talks to a processor directly: it
 * calls a `PaymentProvider` after the reservation has committed, with no row
 * locks held, and settles the order from the result.
 */

/** One charge attempt. `idempotencyKey` lets a real processor deduplicate retries. */
export interface ChargeRequest {
  paymentId: string;
  orderId: string;
  /** Minor units. */
  amount: number;
  currency: string;
  /** The client's payment token (e.g. `tok_visa`). */
  token: string;
  idempotencyKey: string;
}

/** What a charge came to: money taken, refused by the issuer, or not known to have happened. */
export type ChargeResult =
  | { outcome: "captured"; providerRef: string }
  | { outcome: "declined"; reason: string }
  | { outcome: "failed"; reason: string };

/** A payment processor. */
export interface PaymentProvider {
  /** The `payment.method` clients name, stored on the payment record. */
  readonly name: string;
  charge(req: ChargeRequest): Promise<ChargeResult>;
  /** Gives back a captured charge in full. */
  refund(providerRef: string, amount: number, currency: string): Promise<{ ok: boolean; reason?: string }>;
}

/**
 * The `test_card` provider: `tok_visa` (and any `tok_ok_*`) succeeds,
 * `tok_decline` (and any other token) is declined, `tok_error` fails as a
 * processor outage would. No network, no state.
 */
export function testCardProvider(): PaymentProvider {
  return {
    name: "test_card",
    async charge(req) {
      if (req.token === "tok_error") return { outcome: "failed", reason: "processor_unavailable" };
      if (req.token === "tok_visa" || req.token.startsWith("tok_ok_")) {
        return { outcome: "captured", providerRef: `tc_${req.paymentId}` };
      }
      return { outcome: "declined", reason: req.token === "tok_decline" ? "card_declined" : "invalid_token" };
    },
    async refund() {
      return { ok: true };
    },
  };
}

/**
 * Charges with a deadline. A provider that throws or does not answer in time
 * counts as `failed`: the order is then released, never left holding stock.
 */
export async function chargeWithTimeout(
  provider: PaymentProvider,
  req: ChargeRequest,
  timeoutMs: number,
): Promise<ChargeResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ChargeResult>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: "failed", reason: "provider_timeout" }), timeoutMs);
  });
  try {
    return await Promise.race([
      provider.charge(req).catch(
        (err: unknown): ChargeResult => ({
          outcome: "failed",
          reason: err instanceof Error ? err.message : String(err),
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
