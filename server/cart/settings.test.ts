import { describe, expect, test } from "bun:test";
import { loadConfig } from "../../platform/config.ts";
import { ConfigError } from "../../platform/settings.ts";
import { loadCheckoutSettings } from "../checkout/settings.ts";
import { childEnv } from "../testing/child-env.ts";
import { loadCartSettings } from "./settings.ts";

const config = loadConfig({});

describe("cart and checkout settings groups", () => {
  test("defaults, read from the given record only", () => {
    expect(loadCartSettings(config, {})).toMatchObject({
      shippingFlatFee: 500,
      freeShippingFrom: 0,
      taxRateBps: 1000,
    });
    expect(loadCheckoutSettings({})).toEqual({
      reservationTimeoutS: 900,
      sweepIntervalMs: 30_000,
      paymentTimeoutMs: 10_000,
    });
    expect(loadCartSettings(config, { TAX_RATE_BPS: "250" }).taxRateBps).toBe(250);
  });

  test("a bad value is a ConfigError naming the variable", () => {
    for (const [load, variable, value] of [
      [(env: Record<string, string>) => loadCartSettings(config, env), "TAX_RATE_BPS", "abc"],
      [(env: Record<string, string>) => loadCartSettings(config, env), "SHIPPING_FLAT_FEE", "-1"],
      [loadCheckoutSettings, "PAYMENT_TIMEOUT_MS", "5"],
    ] as const) {
      let caught: unknown;
      try {
        load({ [variable]: value });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
    }
  });

  test("the cart-token key is derived from the JWT secret unless set, and is never the JWT secret", () => {
    const jwt = "j".repeat(40);
    const derived = loadCartSettings(loadConfig({ JWT_SECRET: jwt }), {}).cartTokenSecret;
    expect(derived).not.toBe(jwt);
    expect(loadCartSettings(loadConfig({ JWT_SECRET: "k".repeat(40) }), {}).cartTokenSecret).not.toBe(
      derived,
    );
    expect(loadCartSettings(config, { CART_TOKEN_SECRET: "explicit" }).cartTokenSecret).toBe("explicit");
  });
});

test("an app instance with a bad cart setting stops at start-up with exit 78, naming it", () => {
  const p = Bun.spawnSync([process.execPath, "server/main.ts"], {
    cwd: new URL("../../", import.meta.url).pathname,
    env: childEnv({ NODE_ENV: "test", LOG_LEVEL: "silent", TAX_RATE_BPS: "lots" }),
  });
  expect(p.exitCode).toBe(78);
  expect(p.stderr.toString()).toContain("TAX_RATE_BPS");
});
