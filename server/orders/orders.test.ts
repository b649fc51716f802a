import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  checkoutBody,
  createSkus,
  createUsers,
  fillCart,
  stockOf,
  type TestUser,
} from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { canTransition, ORDER_STATUSES, restocks } from "./state.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface OrderBody {
  id: string;
  status: string;
  user_id?: number;
  payment: { status: string } | null;
}
interface ListBody {
  items: OrderBody[];
  page: number;
  page_size: number;
  total: number;
}

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let staff: TestUser;
let admin: TestUser;
let keys = 0;

async function placeOrder(user: TestUser, sku = "ORD-A", quantity = 1): Promise<OrderBody> {
  await fillCart(t, user, sku, quantity);
  const res = await t.request("/api/checkout", {
    method: "POST",
    token: user.token,
    key: `ord-${keys++}`,
    json: checkoutBody(),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as OrderBody;
}

const transition = (user: TestUser, id: string, to: string) =>
  t.request(`/api/admin/orders/${id}/transition`, { method: "POST", token: user.token, json: { to } });

beforeAll(async () => {
  t = await createTestApp();
  [alice, bob] = (await createUsers(t.sql, 2)) as [TestUser, TestUser];
  [staff] = (await createUsers(t.sql, 1, "staff")) as [TestUser];
  [admin] = (await createUsers(t.sql, 1, "admin")) as [TestUser];
  await createSkus(t.sql, [{ sku: "ORD-A", price: 1200, stock: 100 }]);
});
afterAll(() => t.close());

describe("state machine", () => {
  test("only the documented transitions are allowed", () => {
    const allowed = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        "pending>paid",
        "pending>review",
        "pending>cancelled",
        "review>paid",
        "review>cancelled",
        "paid>fulfilled",
        "paid>cancelled",
        "paid>refunded",
        "fulfilled>shipped",
        "fulfilled>refunded",
        "shipped>delivered",
        "delivered>refunded",
      ].sort(),
    );
    expect(restocks("paid", "cancelled")).toBe(true);
    expect(restocks("review", "cancelled")).toBe(true);
    expect(restocks("delivered", "refunded")).toBe(false);
  });
});

describe("customer routes", () => {
  test("list shows the caller's orders only, in the list envelope", async () => {
    const mine = await placeOrder(alice);
    await placeOrder(bob);
    const res = await t.request("/api/orders?page_size=500", { token: alice.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ListBody;
    expect(body.page).toBe(1);
    expect(body.page_size).toBe(100);
    expect(body.items.map((o) => o.id)).toContain(mine.id);
    expect(body.total).toBe(body.items.length);
    const bobs = (await (await t.request("/api/orders", { token: bob.token })).json()) as ListBody;
    expect(bobs.items.some((o) => o.id === mine.id)).toBe(false);
    expect((await t.request("/api/orders?page=0", { token: bob.token })).status).toBe(422);
  });

  test("another user's order is 404 for read and cancel; staff may read it", async () => {
    const order = await placeOrder(alice);
    expect((await t.request(`/api/orders/${order.id}`, { token: bob.token })).status).toBe(404);
    const cancel = await t.request(`/api/orders/${order.id}/cancel`, { method: "POST", token: bob.token });
    expect(cancel.status).toBe(404);
    expect((await t.request(`/api/orders/${order.id}`, { token: alice.token })).status).toBe(200);
    const seen = await t.request(`/api/orders/${order.id}`, { token: staff.token });
    expect(seen.status).toBe(200);
    expect((await t.request("/api/orders/not-a-uuid", { token: alice.token })).status).toBe(404);
    expect((await t.request(`/api/orders/${order.id}`)).status).toBe(401);
    const [row] = await t.sql<{ status: string }[]>`select status from orders where id = ${order.id}`;
    expect(row!.status).toBe("paid");
  });

  test("cancel a paid order: restocked, payment refunded, order.cancelled written; twice → 409", async () => {
    const before = await stockOf(t.sql, "ORD-A");
    const order = await placeOrder(alice, "ORD-A", 3);
    expect(await stockOf(t.sql, "ORD-A")).toBe(before - 3);
    const res = await t.request(`/api/orders/${order.id}/cancel`, { method: "POST", token: alice.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as OrderBody;
    expect(body.status).toBe("cancelled");
    expect(body.payment?.status).toBe("refunded");
    expect(await stockOf(t.sql, "ORD-A")).toBe(before);
    const again = await t.request(`/api/orders/${order.id}/cancel`, { method: "POST", token: alice.token });
    expect(again.status).toBe(409);
    expect(await stockOf(t.sql, "ORD-A")).toBe(before);
    const events = await t.sql<
      { type: string }[]
    >`select type from outbox where aggregate_id = ${order.id} order by seq`;
    expect(events.map((e) => e.type)).toEqual(["order.placed", "order.paid", "order.cancelled"]);
  });
});

describe("admin routes", () => {
  test("customers get 403, anonymous 401", async () => {
    expect((await t.request("/api/admin/orders", { token: alice.token })).status).toBe(403);
    expect((await t.request("/api/admin/orders")).status).toBe(401);
  });

  test("list all orders, filter by status", async () => {
    const order = await placeOrder(bob);
    const res = await t.request("/api/admin/orders?status=paid&page_size=100", { token: staff.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ListBody;
    expect(body.items.every((o) => o.status === "paid")).toBe(true);
    expect(body.items.find((o) => o.id === order.id)?.user_id).toBe(bob.id);
    expect((await t.request("/api/admin/orders?status=lost", { token: staff.token })).status).toBe(422);
  });

  test("walk the machine to delivered; forbidden steps are 409; each step has history and an event", async () => {
    const order = await placeOrder(bob);
    for (const to of ["fulfilled", "shipped", "delivered"]) {
      const res = await transition(admin, order.id, to);
      expect(res.status).toBe(200);
      expect(((await res.json()) as OrderBody).status).toBe(to);
    }
    const back = await transition(admin, order.id, "paid");
    expect(back.status).toBe(409);
    expect(((await back.json()) as { allowed: string[] }).allowed).toEqual(["refunded"]);
    expect(
      (await t.request(`/api/orders/${order.id}/cancel`, { method: "POST", token: bob.token })).status,
    ).toBe(409);
    const stock = await stockOf(t.sql, "ORD-A");
    const refund = await transition(staff, order.id, "refunded");
    expect(refund.status).toBe(200);
    // Delivered goods come back through returns, not by magic.
    expect(await stockOf(t.sql, "ORD-A")).toBe(stock);
    const history = await t.sql<{ to_status: string }[]>`
      select to_status from order_status_history where order_id = ${order.id} order by id`;
    expect(history.map((h) => h.to_status)).toEqual([
      "pending",
      "paid",
      "fulfilled",
      "shipped",
      "delivered",
      "refunded",
    ]);
    const events = await t.sql<
      { type: string }[]
    >`select type from outbox where aggregate_id = ${order.id} order by seq`;
    expect(events.map((e) => e.type)).toEqual([
      "order.placed",
      "order.paid",
      "order.status_changed",
      "order.status_changed",
      "order.status_changed",
      "order.status_changed",
    ]);
  });

  test("unknown order 404, bad target 422", async () => {
    const order = await placeOrder(bob);
    expect((await transition(admin, crypto.randomUUID(), "fulfilled")).status).toBe(404);
    expect((await transition(admin, order.id, "teleported")).status).toBe(422);
    expect((await transition(alice, order.id, "fulfilled")).status).toBe(403);
  });
});
