import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createSkus, createUsers, type TestUser } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { mergeAnonymousCart } from "./merge.ts";
import { computeAmounts, taxOf } from "./money.ts";
import { signCartToken, verifyCartToken } from "./token.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let t: TestApp;
let alice: TestUser;
let bob: TestUser;

interface CartBody {
  id: string;
  token?: string;
  items: {
    id: number;
    sku: string;
    quantity: number;
    unit_price: { amount: number; currency: string };
    line_total: { amount: number };
  }[];
  totals: Record<"subtotal" | "shipping" | "tax" | "total", { amount: number; currency: string }>;
}
interface Problem {
  status: number;
  type: string;
  errors?: { path: string; message: string }[];
}

beforeAll(async () => {
  t = await createTestApp();
  [alice, bob] = (await createUsers(t.sql, 2)) as [TestUser, TestUser];
  await createSkus(t.sql, [
    { sku: "CART-A", price: 1999, stock: 5 },
    { sku: "CART-B", price: 250, stock: 100 },
  ]);
  await createSkus(t.sql, [{ sku: "CART-OLD", price: 100, stock: 5 }], "archived");
});
afterAll(() => t.close());

async function newCart(): Promise<CartBody> {
  const res = await t.request("/api/cart", { method: "POST" });
  expect(res.status).toBe(201);
  return (await res.json()) as CartBody;
}

describe("pure pieces", () => {
  test("tax rounds half up in integer minor units", () => {
    expect(taxOf(1005, 1000)).toBe(101);
    expect(taxOf(1004, 1000)).toBe(100);
    expect(taxOf(9_007_199_254_740, 10_000)).toBe(9_007_199_254_740);
  });

  test("totals: flat shipping only for a non-empty cart, free above the threshold", () => {
    const rules = { shippingFlatFee: 500, freeShippingFrom: 5000, taxRateBps: 1000 };
    expect(computeAmounts([], rules)).toEqual({ subtotal: 0, shipping: 0, tax: 0, total: 0 });
    expect(computeAmounts([1000, 999], rules)).toEqual({
      subtotal: 1999,
      shipping: 500,
      tax: 200,
      total: 2699,
    });
    expect(computeAmounts([5000], rules).shipping).toBe(0);
  });

  test("cart tokens: forged or altered tokens are refused", () => {
    const id = crypto.randomUUID();
    const token = signCartToken(id, "s1");
    expect(verifyCartToken(token, "s1")).toBe(id);
    expect(verifyCartToken(token, "s2")).toBeNull();
    expect(verifyCartToken(`${crypto.randomUUID()}.${token.split(".")[1]}`, "s1")).toBeNull();
    expect(verifyCartToken(id, "s1")).toBeNull();
  });
});

describe("anonymous cart", () => {
  test("create → 201 with token, empty items and zero totals", async () => {
    const cart = await newCart();
    expect(cart.token).toStartWith(cart.id);
    expect(cart.items).toEqual([]);
    expect(cart.totals.total).toEqual({ amount: 0, currency: "USD" });
  });

  test("add, add again, change, delete: the whole cart each time with server totals", async () => {
    const { token } = await newCart();
    let res = await t.request("/api/cart/items", {
      method: "POST",
      cart: token,
      json: { sku: "CART-A", quantity: 2 },
    });
    expect(res.status).toBe(201);
    let cart = (await res.json()) as CartBody;
    expect(cart.items).toHaveLength(1);
    expect(cart.items[0]).toMatchObject({
      sku: "CART-A",
      quantity: 2,
      unit_price: { amount: 1999, currency: "USD" },
    });
    expect(cart.items[0]!.line_total.amount).toBe(3998);

    res = await t.request("/api/cart/items", {
      method: "POST",
      cart: token,
      json: { sku: "CART-A", quantity: 1 },
    });
    expect(res.status).toBe(200);
    cart = (await res.json()) as CartBody;
    expect(cart.items[0]!.quantity).toBe(3);

    res = await t.request("/api/cart/items", {
      method: "POST",
      cart: token,
      json: { sku: "CART-B", quantity: 4 },
    });
    cart = (await res.json()) as CartBody;
    // 3 × 19.99 + 4 × 2.50 = 69.97; shipping 5.00; tax 10 % of 69.97 = 7.00 (6.997 rounded)
    expect(cart.totals.subtotal.amount).toBe(6997);
    expect(cart.totals.shipping.amount).toBe(500);
    expect(cart.totals.tax.amount).toBe(700);
    expect(cart.totals.total.amount).toBe(8197);

    const bLine = cart.items.find((i) => i.sku === "CART-B")!;
    res = await t.request(`/api/cart/items/${bLine.id}`, {
      method: "PATCH",
      cart: token,
      json: { quantity: 1 },
    });
    expect(res.status).toBe(200);
    cart = (await res.json()) as CartBody;
    expect(cart.items.find((i) => i.sku === "CART-B")!.quantity).toBe(1);

    res = await t.request(`/api/cart/items/${bLine.id}`, { method: "DELETE", cart: token });
    expect(res.status).toBe(200);
    cart = (await res.json()) as CartBody;
    expect(cart.items.map((i) => i.sku)).toEqual(["CART-A"]);

    res = await t.request("/api/cart", { cart: token });
    expect(((await res.json()) as CartBody).items).toHaveLength(1);
  });

  test("422: unknown SKU, quantity < 1, above stock, archived product — with field paths", async () => {
    const { token } = await newCart();
    const cases: [unknown, string][] = [
      [{ sku: "NOPE-1", quantity: 1 }, "sku"],
      [{ sku: "CART-A", quantity: 0 }, "quantity"],
      [{ sku: "CART-A", quantity: 1.5 }, "quantity"],
      [{ sku: "CART-A", quantity: 6 }, "quantity"],
      [{ sku: "CART-OLD", quantity: 1 }, "sku"],
      [{ quantity: 1 }, "sku"],
    ];
    for (const [json, path] of cases) {
      const res = await t.request("/api/cart/items", { method: "POST", cart: token, json });
      expect(res.status).toBe(422);
      const body = (await res.json()) as Problem;
      expect(body.errors?.map((e) => e.path)).toContain(path);
    }
    // Adding to an existing line checks the combined quantity.
    expect(
      (
        await t.request("/api/cart/items", {
          method: "POST",
          cart: token,
          json: { sku: "CART-A", quantity: 5 },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await t.request("/api/cart/items", {
          method: "POST",
          cart: token,
          json: { sku: "CART-A", quantity: 1 },
        })
      ).status,
    ).toBe(422);
  });

  test("400 for malformed JSON, 415 for a non-JSON body", async () => {
    const { token } = await newCart();
    let res = await t.request("/api/cart/items", {
      method: "POST",
      headers: { "x-cart-token": token!, "content-type": "application/json" },
      body: "{nope",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    res = await t.request("/api/cart/items", {
      method: "POST",
      headers: { "x-cart-token": token! },
      body: "x",
    });
    expect(res.status).toBe(415);
  });

  test("forged or missing token → 404 problem; item of another cart → 404", async () => {
    const one = await newCart();
    const two = await newCart();
    const forged = `${one.id}.${"A".repeat(43)}`;
    expect((await t.request("/api/cart", { cart: forged })).status).toBe(404);
    expect((await t.request("/api/cart")).status).toBe(404);
    const res = await t.request("/api/cart/items", {
      method: "POST",
      cart: one.token,
      json: { sku: "CART-B", quantity: 1 },
    });
    const itemId = ((await res.json()) as CartBody).items[0]!.id;
    expect((await t.request(`/api/cart/items/${itemId}`, { method: "DELETE", cart: two.token })).status).toBe(
      404,
    );
    expect((await t.request("/api/cart/items/abc", { method: "DELETE", cart: two.token })).status).toBe(422);
    // Past 2^53 a number would round onto another id: refused rather than misread.
    expect(
      (await t.request("/api/cart/items/9007199254740993", { method: "DELETE", cart: two.token })).status,
    ).toBe(422);
  });
});

describe("user cart and merge", () => {
  test("a signed-in user's cart is reachable by their access token alone", async () => {
    let res = await t.request("/api/cart/items", {
      method: "POST",
      token: alice.token,
      json: { sku: "CART-B", quantity: 2 },
    });
    expect(res.status).toBe(201);
    res = await t.request("/api/cart", { token: alice.token });
    expect(((await res.json()) as CartBody).items.map((i) => [i.sku, i.quantity])).toEqual([["CART-B", 2]]);
    // Bob does not see it, even with its id.
    res = await t.request("/api/cart", { token: bob.token });
    expect(((await res.json()) as CartBody).items).toEqual([]);
  });

  test("another user's cart token is 404", async () => {
    const res = await t.request("/api/cart", { method: "POST", token: alice.token });
    const aliceCart = (await res.json()) as CartBody;
    expect((await t.request("/api/cart", { cart: aliceCart.token, token: bob.token })).status).toBe(404);
    expect((await t.request("/api/cart", { cart: aliceCart.token })).status).toBe(404);
  });

  test("mergeAnonymousCart adds quantities (capped at stock) and retires the anonymous cart", async () => {
    const anon = await newCart();
    await t.request("/api/cart/items", {
      method: "POST",
      cart: anon.token,
      json: { sku: "CART-B", quantity: 3 },
    });
    await t.request("/api/cart/items", {
      method: "POST",
      cart: anon.token,
      json: { sku: "CART-A", quantity: 5 },
    });
    const secret = t.options.cart.cartTokenSecret;
    const merged = await t.deps.db.tx((tx) => mergeAnonymousCart(tx, anon.token!, alice.id, secret));
    expect(merged).not.toBeNull();
    const res = await t.request("/api/cart", { token: alice.token });
    const cart = (await res.json()) as CartBody;
    expect(Object.fromEntries(cart.items.map((i) => [i.sku, i.quantity]))).toEqual({
      "CART-B": 5,
      "CART-A": 5,
    });
    expect((await t.request("/api/cart", { cart: anon.token })).status).toBe(404);
    // A second merge of the same token, or a forged one, does nothing.
    expect(await t.deps.db.tx((tx) => mergeAnonymousCart(tx, anon.token!, alice.id, secret))).toBeNull();
    expect(await t.deps.db.tx((tx) => mergeAnonymousCart(tx, "junk", alice.id, secret))).toBeNull();
  });

  test("merge into a user without a cart adopts the anonymous cart", async () => {
    const [carol] = await createUsers(t.sql, 1);
    const anon = await newCart();
    await t.request("/api/cart/items", {
      method: "POST",
      cart: anon.token,
      json: { sku: "CART-B", quantity: 1 },
    });
    const merged = await t.deps.db.tx((tx) =>
      mergeAnonymousCart(tx, anon.token!, carol!.id, t.options.cart.cartTokenSecret),
    );
    expect(merged).toBe(anon.id);
    const res = await t.request("/api/cart", { token: carol!.token });
    expect(((await res.json()) as CartBody).id).toBe(anon.id);
  });
});

describe("input Postgres cannot store", () => {
  test("a SKU with NUL, a lone surrogate or characters no SKU has → 422 on sku, never 500", async () => {
    const cart = await newCart();
    for (const sku of ["CART-A\u0000", "\ud800", "ü𝄞", "CART A", "-CART"]) {
      const res = await t.request("/api/cart/items", {
        method: "POST",
        cart: cart.token,
        json: { sku, quantity: 1 },
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as Problem).errors?.map((e) => e.path)).toEqual(["sku"]);
    }
  });
});

describe("a signed-in caller still sending a used-up token of their own", () => {
  test("after a merge at sign-in the old anonymous token names the user's cart", async () => {
    const [dave] = await createUsers(t.sql, 1);
    await t.request("/api/cart/items", {
      method: "POST",
      token: dave!.token,
      json: { sku: "CART-B", quantity: 1 },
    });
    const anon = await newCart();
    await t.request("/api/cart/items", {
      method: "POST",
      cart: anon.token,
      json: { sku: "CART-A", quantity: 1 },
    });
    const secret = t.options.cart.cartTokenSecret;
    const mine = await t.deps.db.tx((tx) => mergeAnonymousCart(tx, anon.token!, dave!.id, secret));
    const res = await t.request("/api/cart", { token: dave!.token, cart: anon.token });
    expect(res.status).toBe(200);
    const cart = (await res.json()) as CartBody;
    expect(cart.id).toBe(mine!);
    expect(cart.items.map((i) => i.sku).sort()).toEqual(["CART-A", "CART-B"]);
    // Without the user's access token, or with another user's, the token is still used up.
    expect((await t.request("/api/cart", { cart: anon.token })).status).toBe(404);
    expect((await t.request("/api/cart", { cart: anon.token, token: bob.token })).status).toBe(404);
  });

  test("after a checkout the token of the user's cart names their new, empty cart", async () => {
    const [erin] = await createUsers(t.sql, 1);
    const created = (await (
      await t.request("/api/cart", { method: "POST", token: erin!.token })
    ).json()) as CartBody;
    await t.request("/api/cart/items", {
      method: "POST",
      token: erin!.token,
      cart: created.token,
      json: { sku: "CART-B", quantity: 1 },
    });
    const res = await t.request("/api/checkout", {
      method: "POST",
      token: erin!.token,
      cart: created.token,
      key: "k-used-up",
      json: {
        shipping_address: { name: "E", line1: "1 St", city: "C", postal_code: "1", country: "US" },
        payment: { method: "test_card", token: "tok_visa" },
      },
    });
    expect(res.status).toBe(201);
    const after = await t.request("/api/cart", { token: erin!.token, cart: created.token });
    expect(after.status).toBe(200);
    const cart = (await after.json()) as CartBody;
    expect(cart.id).not.toBe(created.id);
    expect(cart.items).toEqual([]);
    expect((await t.request("/api/cart", { cart: created.token })).status).toBe(404);
  });
});
