import { Hono } from "hono";
import { z } from "zod";
import { demandPrimary } from "../../db/context.ts";
import { HttpProblem } from "../../platform/problem.ts";
import { jsonBody, safeText } from "../../platform/validate.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import { clientIp } from "../core/client-ip.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { type CheckoutEnv, runCheckout } from "./service.ts";

function checkoutSchema(providers: ProviderRegistry) {
  return z.object({
    shipping_address: z.object({
      name: safeText(200),
      line1: safeText(300),
      line2: safeText(300, { min: 0 }).optional(),
      city: safeText(200),
      postal_code: safeText(20),
      country: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2}$/, "must be an ISO 3166 two-letter country code"),
    }),
    payment: z.object({
      method: z.string().refine((m) => providers.has(m), {
        message: `must be one of: ${[...providers.keys()].join(", ")}`,
      }),
      token: z.string().min(1, "is required").max(200),
    }),
  });
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** `POST /api/checkout`. */
function checkoutRoutes(deps: AppDeps, env: CheckoutEnv): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const schema = checkoutSchema(env.providers);
  app.post("/api/checkout", authenticate(deps), requireAuth(), async (c) => {
    demandPrimary();
    const user = currentUser(c);
    const key = c.req.header("idempotency-key");
    if (key === undefined || key === "") {
      throw new HttpProblem(
        428,
        "idempotency-key-required",
        "Send an Idempotency-Key header (a unique string per checkout attempt, up to 255 characters).",
      );
    }
    if (!KEY.test(key)) {
      throw new HttpProblem(
        400,
        "invalid-idempotency-key",
        "Idempotency-Key must be 1–255 visible ASCII characters.",
      );
    }
    const body = await jsonBody(c, schema);
    const res = await runCheckout(deps, env, {
      user,
      idempotencyKey: key,
      cartToken: c.req.header("x-cart-token") || undefined,
      clientIp: clientIp(c),
      body,
    });
    const headers: Record<string, string> = { ...res.headers };
    if (res.status >= 400) headers["Content-Type"] = "application/problem+json";
    return c.json(res.body, res.status as 200, headers);
  });
  return app;
}

/** The checkout route module; the assembly passes the settings, providers and (tests only) faults. */
export function checkoutModule(env: CheckoutEnv): RouteModule {
  return (app, deps) => {
    app.route("/", checkoutRoutes(deps, env));
  };
}
