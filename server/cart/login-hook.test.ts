import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createSkus } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface CartBody {
  id: string;
  token: string;
  items: { sku: string; quantity: number }[];
}

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await createSkus(t.sql, [
    { sku: "HOOK-A", price: 100, stock: 10 },
    { sku: "HOOK-B", price: 200, stock: 10 },
  ]);
});
afterAll(() => t.close());

async function anonymousCart(sku: string, quantity: number): Promise<CartBody> {
  const cart = (await (await t.request("/api/cart", { method: "POST" })).json()) as CartBody;
  await t.request("/api/cart/items", { method: "POST", cart: cart.token, json: { sku, quantity } });
  return cart;
}

test("register and login with X-Cart-Token carry the anonymous cart into the user's cart", async () => {
  const first = await anonymousCart("HOOK-A", 2);
  const credentials = {
    email: `hook-${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: "a long passphrase 123",
  };
  const reg = await t.request("/api/auth/register", {
    method: "POST",
    cart: first.token,
    json: { ...credentials, name: "Hook" },
  });
  expect(reg.status).toBe(201);
  const { access_token: token1 } = (await reg.json()) as { access_token: string };
  let mine = (await (await t.request("/api/cart", { token: token1 })).json()) as CartBody;
  expect(mine.items.map((i) => [i.sku, i.quantity])).toEqual([["HOOK-A", 2]]);

  const second = await anonymousCart("HOOK-B", 1);
  await t.request("/api/cart/items", {
    method: "POST",
    cart: second.token,
    json: { sku: "HOOK-A", quantity: 1 },
  });
  const login = await t.request("/api/auth/login", { method: "POST", cart: second.token, json: credentials });
  expect(login.status).toBe(200);
  const { access_token: token2 } = (await login.json()) as { access_token: string };
  mine = (await (await t.request("/api/cart", { token: token2 })).json()) as CartBody;
  expect(Object.fromEntries(mine.items.map((i) => [i.sku, i.quantity]))).toEqual({
    "HOOK-A": 3,
    "HOOK-B": 1,
  });
  expect((await t.request("/api/cart", { cart: second.token })).status).toBe(404);

  // A failed login merges nothing; a junk token does not break signing in.
  const third = await anonymousCart("HOOK-B", 1);
  const bad = await t.request("/api/auth/login", {
    method: "POST",
    cart: third.token,
    json: { ...credentials, password: "wrong password 123" },
  });
  expect(bad.status).toBe(401);
  expect((await t.request("/api/cart", { cart: third.token })).status).toBe(200);
  const junk = await t.request("/api/auth/login", { method: "POST", cart: "junk", json: credentials });
  expect(junk.status).toBe(200);
});
