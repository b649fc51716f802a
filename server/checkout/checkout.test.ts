import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { controlledProvider } from "../payments/test-support.ts";
import {
  checkoutBody,
  createSkus,
  createUsers,
  fillCart,
  stockOf,
  type TestUser,
} from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { purgeOldKeys } from "./idempotency.ts";
import { sweepExpiredReservations } from "./sweeper.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface OrderBody {
  id: string;
  status: string;
  items: {
    sku: string;
    title: string;
    quantity: number;
    unit_price: { amount: number };
    line_total: { amount: number };
  }[];
  totals: Record<"subtotal" | "shipping" | "tax" | "total", { amount: number; currency: string }>;
  shipping_address: Record<string, string>;
  payment: { method: string; status: string } | null;
  created_at: string;
}
interface Problem {
  status: number;
  type: string;
  skus?: string[];
  order_id?: string;
  errors?: { path: string }[];
}
interface CartBody {
  items: { sku: string; quantity: number }[];
}

let t: TestApp;
let users: TestUser[];
let n = 0;
const nextUser = () => users[n++]!;
const checkout = (user: TestUser, key: string, json: unknown = checkoutBody(), cart?: string) =>
  t.request("/api/checkout", { method: "POST", token: user.token, key, json, ...(cart ? { cart } : {}) });
const cartOf = async (user: TestUser) =>
  ((await (await t.request("/api/cart", { token: user.token })).json()) as CartBody).items.map((i) => [
    i.sku,
    i.quantity,
  ]);
const count = async (sqlText: string, ...params: (string | number)[]) => {
  const [row] = await t.sql.unsafe<{ n: string }[]>(sqlText, params);
  return Number(row?.n ?? 0);
};

beforeAll(async () => {
  // 200 concurrent checkouts: a pool of 20 keeps them queueing on Postgres, not on the client.
  t = await createTestApp({ env: { DATABASE_POOL_MAX: "20" } });
  users = await createUsers(t.sql, 260);
  await createSkus(t.sql, [
    { sku: "CO-A", price: 1999, stock: 50 },
    { sku: "CO-B", price: 500, stock: 50 },
    { sku: "CO-HOT", price: 1000, stock: 10 },
    { sku: "CO-FEW", price: 100, stock: 2 },
  ]);
});
afterAll(() => t.close());

describe("checkout", () => {
  test("201: order paid, stock taken, cart emptied, events and history written", async () => {
    const u = nextUser();
    await fillCart(t, u, "CO-A", 2);
    await fillCart(t, u, "CO-B", 1);
    const before = { a: await stockOf(t.sql, "CO-A"), b: await stockOf(t.sql, "CO-B") };
    const res = await checkout(u, "k-happy");
    expect(res.status).toBe(201);
    const order = (await res.json()) as OrderBody;
    expect(order.status).toBe("paid");
    expect(order.items.map((i) => [i.sku, i.quantity, i.unit_price.amount, i.line_total.amount])).toEqual([
      ["CO-A", 2, 1999, 3998],
      ["CO-B", 1, 500, 500],
    ]);
    // 44.98 + 5.00 shipping + 10 % tax on 44.98 (4.50)
    expect(order.totals.subtotal).toEqual({ amount: 4498, currency: "USD" });
    expect(order.totals.total.amount).toBe(4498 + 500 + 450);
    expect(order.shipping_address.country).toBe("US");
    expect(order.payment).toEqual({ method: "test_card", status: "captured" });
    expect(await stockOf(t.sql, "CO-A")).toBe(before.a - 2);
    expect(await stockOf(t.sql, "CO-B")).toBe(before.b - 1);
    expect(await cartOf(u)).toEqual([]);
    const events = await t.sql<
      { type: string }[]
    >`select type from outbox where aggregate_id = ${order.id} order by seq`;
    expect(events.map((e) => e.type)).toEqual(["order.placed", "order.paid"]);
    expect(await count("select count(*) n from order_status_history where order_id = $1", order.id)).toBe(2);
    const detail = await t.request(`/api/orders/${order.id}`, { token: u.token });
    expect(((await detail.json()) as OrderBody).status).toBe("paid");
  });

  test("same key + same body → the same order with 200; other body → 422", async () => {
    const u = nextUser();
    await fillCart(t, u, "CO-A", 1);
    const first = (await (await checkout(u, "k-replay")).json()) as OrderBody;
    const again = await checkout(u, "k-replay");
    expect(again.status).toBe(200);
    expect(((await again.json()) as OrderBody).id).toBe(first.id);
    const other = checkoutBody();
    other.shipping_address.city = "Elsewhere";
    const res = await checkout(u, "k-replay", other);
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).type).toContain("idempotency-key-reused");
    expect(await count("select count(*) n from orders where user_id = $1", u.id)).toBe(1);
  });

  test("keys are per user: another user's identical key is a new checkout", async () => {
    const [a, b] = [nextUser(), nextUser()];
    await fillCart(t, a, "CO-B", 1);
    await fillCart(t, b, "CO-B", 1);
    const ra = (await (await checkout(a, "shared-key")).json()) as OrderBody;
    const res = await checkout(b, "shared-key");
    expect(res.status).toBe(201);
    expect(((await res.json()) as OrderBody).id).not.toBe(ra.id);
  });

  test("declined payment → 402; stock and cart exactly as before; replay gives the same 402", async () => {
    const u = nextUser();
    await fillCart(t, u, "CO-A", 3);
    await fillCart(t, u, "CO-B", 2);
    const stock = { a: await stockOf(t.sql, "CO-A"), b: await stockOf(t.sql, "CO-B") };
    const cart = await cartOf(u);
    const res = await checkout(u, "k-decline", checkoutBody("tok_decline"));
    expect(res.status).toBe(402);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as Problem;
    expect(problem.type).toContain("payment-declined");
    expect(await stockOf(t.sql, "CO-A")).toBe(stock.a);
    expect(await stockOf(t.sql, "CO-B")).toBe(stock.b);
    expect(await cartOf(u)).toEqual(cart);
    // No half-made order: the attempt is a cancelled order with a declined payment and released stock.
    const [order] = await t.sql<{ status: string; stock_released: boolean }[]>`
      select status, stock_released from orders where id = ${problem.order_id!}`;
    expect(order).toEqual({ status: "cancelled", stock_released: true });
    const [payment] = await t.sql<
      { status: string }[]
    >`select status from payments where order_id = ${problem.order_id!}`;
    expect(payment!.status).toBe("declined");
    const events = await t.sql<
      { type: string }[]
    >`select type from outbox where aggregate_id = ${problem.order_id!} order by seq`;
    expect(events.map((e) => e.type)).toEqual(["order.placed", "order.cancelled"]);
    const replay = await checkout(u, "k-decline", checkoutBody("tok_decline"));
    expect(replay.status).toBe(402);
    // The restored cart checks out fine with a good card and a new key.
    expect((await checkout(u, "k-decline-2")).status).toBe(201);
  });

  test("processor failure (tok_error) → 503, nothing held, and the key may be retried", async () => {
    const u = nextUser();
    await fillCart(t, u, "CO-B", 1);
    const stock = await stockOf(t.sql, "CO-B");
    const res = await checkout(u, "k-error", checkoutBody("tok_error"));
    expect(res.status).toBe(503);
    expect(await stockOf(t.sql, "CO-B")).toBe(stock);
    expect(await cartOf(u)).toEqual([["CO-B", 1]]);
    // Not stored: the same key runs again (and fails again with this token), no 409/replay.
    expect((await checkout(u, "k-error", checkoutBody("tok_error"))).status).toBe(503);
  });

  test("not enough stock → 409 naming the SKUs; nothing reserved, cart kept", async () => {
    const u = nextUser();
    await fillCart(t, u, "CO-FEW", 2);
    await fillCart(t, u, "CO-A", 1);
    await t.sql`update inventory set quantity = 1 where sku = 'CO-FEW'`;
    const a = await stockOf(t.sql, "CO-A");
    const res = await checkout(u, "k-short");
    expect(res.status).toBe(409);
    const problem = (await res.json()) as Problem;
    expect(problem.skus).toEqual(["CO-FEW"]);
    expect(await stockOf(t.sql, "CO-A")).toBe(a);
    expect(await stockOf(t.sql, "CO-FEW")).toBe(1);
    expect(await cartOf(u)).toEqual([
      ["CO-FEW", 2],
      ["CO-A", 1],
    ]);
    expect(await count("select count(*) n from orders where user_id = $1", u.id)).toBe(0);
  });

  test("errors: 401 without a token, 428 without Idempotency-Key, 400 bad JSON, 422 with field paths, 422 empty cart", async () => {
    const u = nextUser();
    let res = await t.request("/api/checkout", { method: "POST", key: "x", json: checkoutBody() });
    expect(res.status).toBe(401);
    res = await t.request("/api/checkout", { method: "POST", token: u.token, json: checkoutBody() });
    expect(res.status).toBe(428);
    expect(((await res.json()) as Problem).type).toContain("idempotency-key-required");
    res = await t.request("/api/checkout", {
      method: "POST",
      token: u.token,
      key: "k-bad",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
    const bad = checkoutBody() as unknown as {
      shipping_address: Record<string, unknown>;
      payment: Record<string, unknown>;
    };
    bad.shipping_address.country = "USA";
    bad.shipping_address.city = "";
    bad.payment.method = "cash";
    res = await checkout(u, "k-bad", bad);
    expect(res.status).toBe(422);
    const paths = ((await res.json()) as Problem).errors!.map((e) => e.path).sort();
    expect(paths).toEqual(["payment.method", "shipping_address.city", "shipping_address.country"]);
    res = await checkout(u, "k-empty");
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).type).toContain("cart-empty");
  });

  test("an anonymous cart named by X-Cart-Token is checked out by the signed-in buyer", async () => {
    const u = nextUser();
    const created = (await (await t.request("/api/cart", { method: "POST" })).json()) as { token: string };
    await t.request("/api/cart/items", {
      method: "POST",
      cart: created.token,
      json: { sku: "CO-B", quantity: 2 },
    });
    const res = await checkout(u, "k-anon", checkoutBody(), created.token);
    expect(res.status).toBe(201);
    expect(((await res.json()) as OrderBody).items[0]!.quantity).toBe(2);
    expect((await t.request("/api/cart", { cart: created.token })).status).toBe(404);
  });
  test("another user's cart cannot be checked out (404), nothing reserved", async () => {
    const [owner, thief] = [nextUser(), nextUser()];
    const own = (await (await t.request("/api/cart", { method: "POST", token: owner.token })).json()) as {
      token: string;
    };
    await fillCart(t, owner, "CO-B", 1);
    const stock = await stockOf(t.sql, "CO-B");
    const res = await checkout(thief, "k-thief", checkoutBody(), own.token);
    expect(res.status).toBe(404);
    expect(await stockOf(t.sql, "CO-B")).toBe(stock);
    expect(await cartOf(owner)).toEqual([["CO-B", 1]]);
    // The key was not consumed by the refused attempt.
    await fillCart(t, thief, "CO-B", 1);
    expect((await checkout(thief, "k-thief", checkoutBody(), undefined)).status).toBe(201);
  });
});

describe("concurrency", () => {
  test("oversell: 200 buyers, 10 in stock → exactly 10 orders, 190 clean 409s, stock 0", async () => {
    const buyers = Array.from({ length: 200 }, nextUser);
    for (const b of buyers) await fillCart(t, b, "CO-HOT", 1);
    const responses = await Promise.all(buyers.map((b, i) => checkout(b, `hot-${i}`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    const losers = await Promise.all(
      responses.filter((r) => r.status === 409).map((r) => r.json() as Promise<Problem>),
    );
    expect(losers.every((p) => p.type.endsWith("/insufficient-stock") && p.skus?.[0] === "CO-HOT")).toBe(
      true,
    );
    expect(await stockOf(t.sql, "CO-HOT")).toBe(0);
    expect(
      await count(
        "select count(*) n from order_lines l join orders o on o.id = l.order_id where l.sku = 'CO-HOT'",
      ),
    ).toBe(10);
    expect(await count("select count(*) n from inventory where quantity < 0")).toBe(0);
  });

  test("double submit: 20 concurrent requests with one key → one order, one payment", async () => {
    const u = nextUser();
    await fillCart(t, u, "CO-A", 1);
    const responses = await Promise.all(Array.from({ length: 20 }, () => checkout(u, "k-double")));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const ids = new Set<string>();
    for (const r of responses) {
      const body = (await r.json()) as OrderBody & Problem;
      if (r.status !== 409) ids.add(body.id);
      else expect(body.type).toContain("checkout-in-progress");
    }
    expect(ids.size).toBe(1);
    expect(await count("select count(*) n from orders where user_id = $1", u.id)).toBe(1);
    expect(
      await count(
        "select count(*) n from payments p join orders o on o.id = p.order_id where o.user_id = $1",
        u.id,
      ),
    ).toBe(1);
  });
});

describe("one cart, several keys", () => {
  test("10 concurrent checkouts of one cart with different keys → one order; the rest find the cart used", async () => {
    const u = nextUser();
    await fillCart(t, u, "CO-A", 1);
    const stock = await stockOf(t.sql, "CO-A");
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => checkout(u, `k-multi-${i}`)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 422)).toBe(true);
    expect(await stockOf(t.sql, "CO-A")).toBe(stock - 1);
    expect(await count("select count(*) n from orders where user_id = $1", u.id)).toBe(1);
  });
});

describe("with a slow payment provider", () => {
  test("a second request while the first is charging → 409, then the stored order", async () => {
    const gated = controlledProvider({ held: true });
    const s = await createTestApp({ providers: new Map([["test_card", gated.provider]]) });
    try {
      const [u] = await createUsers(s.sql, 1);
      await createSkus(s.sql, [{ sku: "SLOW-1", price: 100, stock: 5 }]);
      await s.request("/api/cart/items", {
        method: "POST",
        token: u!.token,
        json: { sku: "SLOW-1", quantity: 1 },
      });
      const send = () =>
        s.request("/api/checkout", { method: "POST", token: u!.token, key: "k-slow", json: checkoutBody() });
      const first = send();
      await gated.firstCharge;
      const second = await send();
      expect(second.status).toBe(409);
      gated.open();
      expect((await first).status).toBe(201);
      expect((await send()).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  test("payment outlives its reservation: the sweeper releases stock, the late capture is refunded", async () => {
    const gated = controlledProvider({ held: true });
    const s = await createTestApp({
      providers: new Map([["test_card", gated.provider]]),
      checkout: { reservationTimeoutS: 1 },
    });
    try {
      const [u] = await createUsers(s.sql, 1);
      await createSkus(s.sql, [{ sku: "LATE-1", price: 100, stock: 5 }]);
      await s.request("/api/cart/items", {
        method: "POST",
        token: u!.token,
        json: { sku: "LATE-1", quantity: 2 },
      });
      const pending = s.request("/api/checkout", {
        method: "POST",
        token: u!.token,
        key: "k-late",
        json: checkoutBody(),
      });
      await gated.firstCharge;
      expect(await stockOf(s.sql, "LATE-1")).toBe(3);
      // Expire the reservation without waiting for the clock.
      await s.sql`update orders set reservation_expires_at = now() - interval '1 second' where user_id = ${u!.id}`;
      expect(await sweepExpiredReservations(s.deps, s.options.providers)).toBe(1);
      expect(await stockOf(s.sql, "LATE-1")).toBe(5);
      gated.open();
      const res = await pending;
      expect(res.status).toBe(409);
      expect(((await res.json()) as Problem).type).toContain("checkout-expired");
      const rows = await s.sql<{ status: string; payment: string }[]>`
        select o.status, p.status as payment from orders o join payments p on p.order_id = o.id where o.user_id = ${u!.id}`;
      expect([...rows]).toEqual([{ status: "cancelled", payment: "refunded" }]);
      expect(await stockOf(s.sql, "LATE-1")).toBe(5);
      const cart = (await (await s.request("/api/cart", { token: u!.token })).json()) as CartBody;
      expect(cart.items.map((i) => [i.sku, i.quantity])).toEqual([["LATE-1", 2]]);
    } finally {
      await s.close();
    }
  });
});

describe("idempotency key retention", () => {
  test("finished keys older than the retention are purged; recent and running ones stay", async () => {
    const [u] = await createUsers(t.sql, 1);
    await t.sql`
      insert into idempotency_keys (user_id, key, request_hash, status, response_status, response_body, updated_at)
      values (${u!.id}, 'old', 'h', 'completed', 201, '{}', now() - interval '25 hours'),
             (${u!.id}, 'recent', 'h', 'completed', 201, '{}', now()),
             (${u!.id}, 'running', 'h', 'in_progress', null, null, now() - interval '25 hours')`;
    expect(await purgeOldKeys(t.sql)).toBeGreaterThanOrEqual(1);
    const left = await t.sql<
      { key: string }[]
    >`select key from idempotency_keys where user_id = ${u!.id} order by key`;
    expect(left.map((r) => r.key)).toEqual(["recent", "running"]);
  });
});
