import { createHmac } from "node:crypto";
import { type Config, jwtSecret, loadConfig } from "../../platform/config.ts";

/**
 * The cart/checkout/orders knobs. They are read from the environment here
 * rather than in platform/config.ts so that this module owns its own settings;
 * each has a default, and docs/orders.md lists them.
 */
export interface CheckoutConfig {
  /** Flat shipping fee in minor units, charged once per non-empty cart. */
  shippingFlatFee: number;
  /** Subtotal (minor units) from which shipping is free; 0 = never free. */
  freeShippingFrom: number;
  /** Tax rate in basis points (1000 = 10 %), applied to the subtotal. */
  taxRateBps: number;
  /** How long stock stays reserved for a checkout whose payment has not settled. */
  reservationTimeoutS: number;
  /** How often each app instance looks for expired reservations. */
  sweepIntervalMs: number;
  /** Longest wait for the payment provider before the attempt counts as failed. */
  paymentTimeoutMs: number;
  /** Fault injection for the crash test: exit right after the reservation commits. */
  crashAfterReserve: boolean;
  /** Fault injection: the confirmation transaction fails after a successful charge (compensation test). */
  failConfirm: boolean;
  /** HMAC key for anonymous cart tokens, derived from the JWT secret unless set. */
  cartTokenSecret: string;
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return def;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer (got ${JSON.stringify(raw)})`);
  const n = Number(raw);
  if (n < min || n > max) throw new Error(`${name} must be between ${min} and ${max} (got ${n})`);
  return n;
}

/**
 * A separate key for cart tokens: derived so that a cart token can never be
 * replayed as (or confused with) an access-token signature.
 */
export function deriveCartTokenSecret(secret: string): string {
  return createHmac("sha256", secret).update("cart-token/v1").digest("base64url");
}

/** Reads the checkout settings from `env`; `config` supplies the JWT secret. */
export function loadCheckoutConfig(config: Config, env: Env = process.env): CheckoutConfig {
  return {
    shippingFlatFee: intVar(env, "SHIPPING_FLAT_FEE", 500, 0, 100_000_000),
    freeShippingFrom: intVar(env, "FREE_SHIPPING_FROM", 0, 0, 1_000_000_000),
    taxRateBps: intVar(env, "TAX_RATE_BPS", 1000, 0, 10_000),
    reservationTimeoutS: intVar(env, "RESERVATION_TIMEOUT_S", 900, 1, 86_400),
    sweepIntervalMs: intVar(env, "RESERVATION_SWEEP_INTERVAL_MS", 30_000, 50, 3_600_000),
    paymentTimeoutMs: intVar(env, "PAYMENT_TIMEOUT_MS", 10_000, 100, 120_000),
    crashAfterReserve: ["1", "true", "yes"].includes(env.FAULT_CRASH_AFTER_RESERVE ?? ""),
    failConfirm: ["1", "true", "yes"].includes(env.FAULT_FAIL_CONFIRM ?? ""),
    cartTokenSecret: env.CART_TOKEN_SECRET || deriveCartTokenSecret(jwtSecret(config)),
  };
}

let processDefault: CheckoutConfig | null = null;

/** The settings of this process (from process.env), loaded once. */
export function defaultCheckoutConfig(): CheckoutConfig {
  processDefault ??= loadCheckoutConfig(loadConfig());
  return processDefault;
}
