import type { Hono } from "hono";
import { createDatabase, type Database, type Sql } from "../../db/client.ts";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { jwtSecret, loadConfig } from "../../platform/config.ts";
import { createLogger } from "../../platform/logger.ts";
import { Registry } from "../../platform/metrics.ts";
import { type AppOptions, createApp } from "../app.ts";
import { closeCacheRuntime } from "../cache/index.ts";
import { cartModule } from "../cart/routes.ts";
import type { AppDeps, AppEnv } from "../core/deps.ts";
import type { AuthUser, Role } from "../core/roles.ts";
import { signAccessToken } from "../core/tokens.ts";
import { databaseProbe } from "../ops/probes.ts";
import { adminOrdersModule } from "../orders/admin-routes.ts";
import { ordersModule } from "../orders/routes.ts";
import {
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  testCardProvider,
} from "../payments/provider.ts";
import { defaultProviders, type ProviderRegistry } from "../payments/providers.ts";
import type { CheckoutConfig } from "./config.ts";
import { checkoutModule } from "./routes.ts";

/**
 * Test support for cart, checkout and orders: an in-process app on a fresh
 * real Postgres database with a pool sized for concurrency tests
 * (server/testing.ts fixes its pool at 10), plus fixtures.
 */
export interface ShopTestApp {
  app: Hono<AppEnv>;
  deps: AppDeps;
  database: TestDatabase;
  /** Admin SQL on the test database, for fixtures and assertions. */
  sql: Sql;
  request(
    path: string,
    init?: RequestInit & { json?: unknown; token?: string; cart?: string; key?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** Test defaults: 5.00 flat shipping, 10 % tax. */
export const TEST_SETTINGS: Partial<CheckoutConfig> = {
  shippingFlatFee: 500,
  taxRateBps: 1000,
  freeShippingFrom: 0,
};

/** Builds the app with the cart, checkout, orders and admin orders modules. */
export async function createShopTestApp(
  opts: {
    poolMax?: number;
    settings?: Partial<CheckoutConfig>;
    providers?: ProviderRegistry;
    /** Modules mounted before the shop modules (e.g. a hook and the auth routes). */
    before?: AppOptions["modules"];
  } = {},
): Promise<ShopTestApp> {
  const database = await createTestDatabase("shop");
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: database.url });
  const db: Database = createDatabase({
    primaryUrl: database.url,
    poolMax: opts.poolMax ?? 10,
    logger: createLogger("silent"),
  });
  const deps: AppDeps = {
    config,
    db,
    logger: createLogger("silent"),
    metrics: new Registry(),
    redis: null,
    probes: [databaseProbe(db)],
  };
  const providers = opts.providers ?? defaultProviders();
  const settings = { ...TEST_SETTINGS, ...opts.settings };
  const app = createApp(deps, {
    modules: [
      ...(opts.before ?? []),
      cartModule(settings),
      checkoutModule({ settings, providers }),
      ordersModule(providers),
      adminOrdersModule(providers),
    ],
  });
  return {
    app,
    deps,
    database,
    sql: database.sql,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      if (init.token) headers.set("authorization", `Bearer ${init.token}`);
      if (init.cart) headers.set("x-cart-token", init.cart);
      if (init.key) headers.set("idempotency-key", init.key);
      return Promise.resolve(app.request(path, { ...init, headers, body }));
    },
    async close() {
      await closeCacheRuntime(deps);
      await db.close(1);
      await database.drop();
    },
  };
}

/** A user row and an access token for it. */
export interface TestUser extends AuthUser {
  token: string;
}

/** Inserts `count` users with `role` and signs a token for each (one round trip). */
export async function createUsers(
  sql: Sql,
  count: number,
  role: Role = "customer",
  secret = jwtSecret(loadConfig({})),
): Promise<TestUser[]> {
  const tag = crypto.randomUUID().slice(0, 8);
  const rows = await sql<{ id: string; email: string }[]>`
    insert into users (email, password_hash, name, role)
    select 'u' || g || '-' || ${tag} || '@example.com', 'x', 'User ' || g, ${role}
    from generate_series(1, ${count}) g
    returning id, email`;
  return rows.map((r) => {
    const user: AuthUser = { id: Number(r.id), email: r.email, role };
    return { ...user, token: signAccessToken(user, { secret, ttlSeconds: 3600 }) };
  });
}

/** Inserts a product with one variant per SKU and their stock. */
export async function createSkus(
  sql: Sql,
  skus: { sku: string; price: number; stock: number; title?: string }[],
  status: "active" | "archived" = "active",
): Promise<void> {
  const slug = `p-${crypto.randomUUID().slice(0, 8)}`;
  const [cat] = await sql<{ id: string }[]>`
    insert into categories (slug, name) values (${`c-${slug}`}, 'Test') returning id`;
  const [product] = await sql<{ id: string }[]>`
    insert into products (slug, title, category_id, status) values (${slug}, ${`Product ${slug}`}, ${cat!.id}, ${status})
    returning id`;
  for (const s of skus) {
    await sql`insert into variants (product_id, sku, title, price) values (${product!.id}, ${s.sku}, ${s.title ?? s.sku}, ${s.price})`;
    await sql`insert into inventory (sku, quantity) values (${s.sku}, ${s.stock})`;
  }
}

/** Current stock of one SKU. */
export async function stockOf(sql: Sql, sku: string): Promise<number> {
  const [row] = await sql<{ quantity: number }[]>`select quantity from inventory where sku = ${sku}`;
  return row?.quantity ?? -1;
}

/** A valid checkout body paying with `token`. */
export function checkoutBody(token = "tok_visa") {
  return {
    shipping_address: {
      name: "Ada Buyer",
      line1: "1 Main St",
      city: "Springfield",
      postal_code: "12345",
      country: "US",
    },
    payment: { method: "test_card", token },
  };
}

/** Puts `quantity` of `sku` into the user's own cart (no cart token). */
export async function fillCart(t: ShopTestApp, user: TestUser, sku: string, quantity: number): Promise<void> {
  const res = await t.request("/api/cart/items", {
    method: "POST",
    token: user.token,
    json: { sku, quantity },
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`add to cart: ${res.status} ${await res.text()}`);
}

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
