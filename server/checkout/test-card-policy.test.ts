import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { defaultProviders } from "../payments/providers.ts";
import { userWithToken } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

test("test_card is refused in production (and when NODE_ENV is unset) unless PAYMENTS_TEST_CARD=1", () => {
  expect(defaultProviders({ NODE_ENV: "production" }).has("test_card")).toBe(false);
  expect(defaultProviders({}).has("test_card")).toBe(false);
  expect(defaultProviders({ NODE_ENV: "production", PAYMENTS_TEST_CARD: "1" }).has("test_card")).toBe(true);
  expect(defaultProviders({ NODE_ENV: "development" }).has("test_card")).toBe(true);
  expect(defaultProviders({ NODE_ENV: "test" }).has("test_card")).toBe(true);
  expect(defaultProviders({ NODE_ENV: "test", PAYMENTS_TEST_CARD: "0" }).has("test_card")).toBe(false);
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ providers: defaultProviders({ NODE_ENV: "production" }) });
});
afterAll(() => t.close());

test("a production checkout paying with tok_visa is a 422 on payment.method", async () => {
  const { headers } = await userWithToken(t);
  const res = await t.request("/api/checkout", {
    method: "POST",
    headers: { ...headers, "Idempotency-Key": crypto.randomUUID() },
    json: {
      shipping_address: {
        name: "A B",
        line1: "1 Main St",
        city: "Town",
        postal_code: "12345",
        country: "US",
      },
      payment: { method: "test_card", token: "tok_visa" },
    },
  });
  expect(res.status).toBe(422);
  const body = (await res.json()) as { errors: { path: string }[] };
  expect(body.errors.map((e) => e.path)).toEqual(["payment.method"]);
  const [orders] = await t.database.sql`select count(*)::int as n from orders`;
  expect(orders!.n).toBe(0);
});
