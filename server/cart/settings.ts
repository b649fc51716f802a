import { createHmac } from "node:crypto";
import { z } from "zod";
import { type Config, jwtSecret } from "../../platform/config.ts";
import { defineSettings, int, knob } from "../../platform/settings.ts";
import type { PricingRules } from "./money.ts";

/** The cart's settings group: pricing of a cart and the key of anonymous cart tokens. */
export const cartSettingsGroup = defineSettings("cart", {
  SHIPPING_FLAT_FEE: knob(int(0, 100_000_000), "500", "flat shipping per non-empty cart, minor units"),
  FREE_SHIPPING_FROM: knob(
    int(0, 1_000_000_000),
    "0",
    "subtotal (minor units) from which shipping is free; `0` = never",
  ),
  TAX_RATE_BPS: knob(
    int(0, 10_000),
    "1000",
    "tax in basis points (1000 = 10 %) on the subtotal, rounded half up",
  ),
  CART_TOKEN_SECRET: knob(
    z.string().min(1).optional(),
    undefined,
    'HMAC key for cart tokens; unset = derived: HMAC(`JWT_SECRET`, "cart-token/v1")',
    { secret: true, shownDefault: "derived" },
  ),
});

/** What the cart (and checkout, which prices the cart again) is configured with. */
export interface CartSettings extends PricingRules {
  /** HMAC key for anonymous cart tokens, derived from the JWT secret unless set. */
  cartTokenSecret: string;
}

/**
 * A separate key for cart tokens: derived so that a cart token can never be
 * replayed as (or confused with) an access-token signature.
 */
function deriveCartTokenSecret(secret: string): string {
  return createHmac("sha256", secret).update("cart-token/v1").digest("base64url");
}

/**
 * Reads the cart settings from `env` (the assembly passes the process
 * environment; tests pass a record). `config` supplies the JWT secret the
 * cart-token key is derived from. Throws ConfigError naming bad variables.
 */
export function loadCartSettings(config: Config, env: Record<string, string | undefined>): CartSettings {
  const s = cartSettingsGroup.load(env);
  return {
    shippingFlatFee: s.SHIPPING_FLAT_FEE,
    freeShippingFrom: s.FREE_SHIPPING_FROM,
    taxRateBps: s.TAX_RATE_BPS,
    cartTokenSecret: s.CART_TOKEN_SECRET ?? deriveCartTokenSecret(jwtSecret(config)),
  };
}
