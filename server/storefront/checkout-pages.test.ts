import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { seedFixture } from "../catalog/test-support.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";

setDefaultTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedFixture(t.sql);
});
afterAll(() => t.close());

const ORIGIN = "http://shop.test";
const page = (path: string, init: RequestInit = {}) =>
  t.request(path, {
    ...init,
    headers: { host: "shop.test", origin: ORIGIN, ...(init.headers as Record<string, string>) },
  });

/** A signed-in shopper's cookie header. */
async function signedIn(): Promise<string> {
  const email = `co-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const reg = await page("/register", {
    method: "POST",
    body: new URLSearchParams({
      name: "Checkout",
      email,
      password: "correct horse battery",
      next: "/account",
    }),
  });
  expect(reg.status).toBe(303);
  return reg.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Adds one item and reads the checkout form as the browser would submit it. */
async function checkoutForm(cookie: string): Promise<URLSearchParams> {
  const add = await page("/cart/add", {
    method: "POST",
    body: new URLSearchParams({ sku: "BAS-1", quantity: "1" }),
    headers: { cookie },
  });
  expect(add.status).toBe(303);
  const html = await (await page("/checkout", { headers: { cookie } })).text();
  const key = html.match(/name="idempotency_key" value="([0-9a-f-]{36})"/)?.[1];
  expect(key).toBeDefined();
  return new URLSearchParams({
    idempotency_key: key!,
    name: "Ada Shopper",
    line1: "1 Main St",
    city: "Springfield",
    postal_code: "12345",
    country: "US",
    card: "tok_visa",
  });
}

const place = (cookie: string, form: URLSearchParams) =>
  page("/checkout", { method: "POST", body: form, headers: { cookie } });

test("a double click's second post arriving after the order was placed lands on that same order", async () => {
  const cookie = await signedIn();
  const form = await checkoutForm(cookie);
  const first = await place(cookie, form);
  expect(first.status).toBe(303);
  expect(first.headers.get("location")).toMatch(/^\/account\/orders\/[0-9a-f-]{36}\?placed=1$/);
  // The cart is empty now; the late second post must not be sent to it.
  const late = await place(cookie, form);
  expect(late.status).toBe(303);
  expect(late.headers.get("location")).toBe(first.headers.get("location"));
});

test("two posts of one form at once both point at the one order", async () => {
  const cookie = await signedIn();
  const form = await checkoutForm(cookie);
  const [a, b] = await Promise.all([place(cookie, form), place(cookie, form)]);
  expect([a.status, b.status]).toEqual([303, 303]);
  expect(a.headers.get("location")).toMatch(/^\/account\/orders\/[0-9a-f-]{36}\?placed=1$/);
  expect(b.headers.get("location")).toBe(a.headers.get("location"));
});

test("a fresh form posted with an empty cart goes back to the cart", async () => {
  const cookie = await signedIn();
  const form = await checkoutForm(cookie);
  expect((await place(cookie, form)).status).toBe(303);
  form.set("idempotency_key", crypto.randomUUID());
  const again = await place(cookie, form);
  expect(again.status).toBe(303);
  expect(again.headers.get("location")).toBe("/cart");
});
