import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import {
  checkoutBody,
  createSkus,
  createUsers,
  fillCart,
  type TestUser,
} from "../../server/testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../server/testing/harness.ts";
import { dashboards } from "./dashboards.ts";

/**
 * The checkout funnel dashboard selects `http_requests_total` by route,
 * method and status: real checkouts (paid, declined, out of stock, key
 * reused) and cart adds must produce exactly those label values.
 */
setDefaultTimeout(60_000);

let t: TestApp;
let users: TestUser[];

beforeAll(async () => {
  t = await createTestApp();
  users = await createUsers(t.sql, 3);
  await createSkus(t.sql, [{ sku: "FUNNEL-A", price: 1000, stock: 3 }]);
});
afterAll(() => t?.close());

const requests = (labels: Record<string, string | number>) =>
  t.deps.metrics.counter("http_requests_total", "").get(labels);

test("paid, declined, out-of-stock and key-reused checkouts land on the series the dashboard selects", async () => {
  const checkout = (u: TestUser, key: string, body: unknown) =>
    t.request("/api/checkout", { method: "POST", token: u.token, key, json: body });
  const [paid, declined, short] = users as [TestUser, TestUser, TestUser];
  await fillCart(t, paid, "FUNNEL-A", 1);
  expect((await checkout(paid, "f-1", checkoutBody())).status).toBe(201);
  await fillCart(t, declined, "FUNNEL-A", 1);
  expect((await checkout(declined, "f-2", checkoutBody("tok_decline"))).status).toBe(402);
  await fillCart(t, short, "FUNNEL-A", 1);
  await t.sql`update inventory set quantity = 0 where sku = 'FUNNEL-A'`;
  expect((await checkout(short, "f-3", checkoutBody())).status).toBe(409);
  // The paid order's key again with another body.
  const otherBody = { ...checkoutBody(), payment: { method: "test_card", token: "tok_other" } };
  expect((await checkout(paid, "f-1", otherBody)).status).toBe(422);

  const route = { route: "/api/checkout", method: "POST" };
  for (const status of [201, 402, 409, 422]) expect(requests({ ...route, status }), String(status)).toBe(1);
  expect(requests({ route: "/api/cart/items", method: "POST", status: 201 })).toBeGreaterThanOrEqual(1);

  const funnel = JSON.stringify(dashboards.find((d) => d.title === "Checkout funnel"));
  expect(funnel).toContain('route=\\"/api/checkout\\", method=\\"POST\\"');
  expect(funnel).toContain('route=\\"/api/cart/items\\", method=\\"POST\\", status=~\\"2..\\"');
  for (const status of [201, 402, 409, 422]) expect(funnel).toContain(`status=\\"${status}\\"`);
});
