import { type Context, Hono } from "hono";
import { z } from "zod";
import { demandPrimary } from "../../db/context.ts";
import { jsonBody, validate } from "../../platform/validate.ts";
import { isSku } from "../catalog/skus.ts";
import { type AuthEnv, authenticate } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { serialId } from "../core/ids.ts";
import { addItem, type CartCaller, changeItem, removeItem, resolveCart } from "./service.ts";
import type { CartSettings } from "./settings.ts";
import { insertCart, userCart } from "./store.ts";
import { signCartToken } from "./token.ts";
import { cartView } from "./view.ts";

const quantity = z.number().int("must be an integer").min(1, "must be at least 1");
const addSchema = z.object({
  sku: z
    .string()
    .trim()
    .min(1, "is required")
    .max(64)
    // The catalog's SKU rule: anything else is unknown, and strings Postgres
    // cannot take (NUL, lone surrogates) never reach a query.
    .refine(isSku, "is not a known SKU"),
  quantity,
});
const changeSchema = z.object({ quantity });
const itemId = z.object({
  id: z
    .string()
    .refine((raw) => serialId(raw) !== null, "must be a cart item id")
    .transform(Number),
});

/** Cart routes of API.md; every answer is the whole cart. */
function cartRoutes(deps: AppDeps, settings: CartSettings): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const secret = settings.cartTokenSecret;
  const caller = (c: Context<AuthEnv>): CartCaller => ({
    token: c.req.header("x-cart-token") || undefined,
    userId: c.get("user")?.id,
  });

  // Carts change on nearly every request; reading them from a replica would show stale lines.
  app.use("/api/cart", authenticate(deps));
  app.use("/api/cart/*", authenticate(deps));
  const primaryReads = async (_c: Context<AuthEnv>, next: () => Promise<void>) => {
    demandPrimary();
    await next();
  };
  app.use("/api/cart", primaryReads);
  app.use("/api/cart/*", primaryReads);

  app.post("/api/cart", async (c) => {
    const user = c.get("user");
    const view = await deps.db.tx(async (tx) => {
      const cart = user ? await userCart(tx, user.id) : await insertCart(tx, null);
      return cartView(tx, cart, settings, signCartToken(cart.id, secret));
    });
    return c.json(view, 201);
  });

  app.get("/api/cart", async (c) => {
    const view = await deps.db.tx(async (tx) =>
      cartView(tx, await resolveCart(tx, caller(c), secret), settings),
    );
    return c.json(view);
  });

  app.post("/api/cart/items", async (c) => {
    const body = await jsonBody(c, addSchema);
    const { view, created } = await deps.db.tx(async (tx) => {
      const cart = await resolveCart(tx, caller(c), secret);
      const added = await addItem(tx, cart, body.sku, body.quantity);
      return { view: await cartView(tx, added.cart, settings), created: added.created };
    });
    return c.json(view, created ? 201 : 200);
  });

  app.patch("/api/cart/items/:id", async (c) => {
    const { id } = validate(itemId, c.req.param(), "path");
    const body = await jsonBody(c, changeSchema);
    const view = await deps.db.tx(async (tx) => {
      const cart = await resolveCart(tx, caller(c), secret);
      await changeItem(tx, cart, id, body.quantity);
      return cartView(tx, cart, settings);
    });
    return c.json(view);
  });

  app.delete("/api/cart/items/:id", async (c) => {
    const { id } = validate(itemId, c.req.param(), "path");
    const view = await deps.db.tx(async (tx) => {
      const cart = await resolveCart(tx, caller(c), secret);
      await removeItem(tx, cart, id);
      return cartView(tx, cart, settings);
    });
    return c.json(view);
  });

  return app;
}

/** The cart route module; the assembly passes the settings it loaded at start-up. */
export function cartModule(settings: CartSettings): RouteModule {
  return (app, deps) => {
    app.route("/", cartRoutes(deps, settings));
  };
}
