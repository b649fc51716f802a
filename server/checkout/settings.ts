import { defineSettings, int, knob } from "../../platform/settings.ts";

/** The checkout's settings group: how long stock is held and how long a payment may take. */
export const checkoutSettingsGroup = defineSettings("checkout", {
  RESERVATION_TIMEOUT_S: knob(
    int(1, 86_400),
    "900",
    "how long a checkout may hold stock before its payment settles",
  ),
  RESERVATION_SWEEP_INTERVAL_MS: knob(
    int(50, 3_600_000),
    "30000",
    "how often each app instance releases expired reservations",
  ),
  PAYMENT_TIMEOUT_MS: knob(
    int(100, 120_000),
    "10000",
    "a provider that has not answered by then counts as failed",
  ),
});

/** What checkout is configured with. */
export interface CheckoutSettings {
  /** How long stock stays reserved for a checkout whose payment has not settled. */
  reservationTimeoutS: number;
  /** How often each app instance looks for expired reservations. */
  sweepIntervalMs: number;
  /** Longest wait for the payment provider before the attempt counts as failed. */
  paymentTimeoutMs: number;
}

/** Reads the checkout settings from `env`; throws ConfigError naming bad variables. */
export function loadCheckoutSettings(env: Record<string, string | undefined>): CheckoutSettings {
  const s = checkoutSettingsGroup.load(env);
  return {
    reservationTimeoutS: s.RESERVATION_TIMEOUT_S,
    sweepIntervalMs: s.RESERVATION_SWEEP_INTERVAL_MS,
    paymentTimeoutMs: s.PAYMENT_TIMEOUT_MS,
  };
}

/**
 * Test-only hooks into the checkout path (fault injection). Production code
 * never sets them; the default is none. `afterReserve` runs right after the
 * reservation commits (the crash test kills the process there);
 * `beforeConfirm` runs inside the confirmation transaction after a successful
 * charge (a throw there rolls the confirmation back: the compensation test).
 */
export interface CheckoutFaults {
  afterReserve?(orderId: string): void;
  beforeConfirm?(): void;
  /** Runs before the fraud scorer reads its features: a throw or a long wait simulates a broken scorer. */
  scorer?(): Promise<void> | void;
}
