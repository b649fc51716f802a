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
import { claimKey, completeKey, releaseKey, requestHash } from "./idempotency.ts";
import { placeOrder } from "./place.ts";
import { sweepExpiredReservations } from "./sweeper.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface Problem {
  status: number;
  type: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let users: TestUser[];
let n = 0;
const nextUser = () => users[n++]!;

beforeAll(async () => {
  t = await createTestApp();
  users = await createUsers(t.sql, 20);
  await createSkus(t.sql, [{ sku: "HD-A", price: 1000, stock: 50 }]);
});
afterAll(() => t.close());

describe("checkout input that Postgres cannot store", () => {
  const bad: [string, string][] = [
    ["NUL in the name", "Ada\u0000"],
    ["lone surrogate in the city", "Spring\ud800field"],
    ["control character in line1", "1 Main\u0007 St"],
  ];
  for (const [label, value] of bad) {
    test(`${label} → 422 with the field path, no order, key reusable`, async () => {
      const user = nextUser();
      await fillCart(t, user, "HD-A", 1);
      const body = checkoutBody();
      const field = label.includes("name") ? "name" : label.includes("city") ? "city" : "line1";
      const address: Record<string, string> = { ...body.shipping_address, [field]: value };
      const res = await t.request("/api/checkout", {
        method: "POST",
        token: user.token,
        key: "k-bad",
        json: { ...body, shipping_address: address },
      });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Problem;
      expect(problem.errors?.map((e) => e.path)).toEqual([`shipping_address.${field}`]);
      expect(await stockOf(t.sql, "HD-A")).toBe(50);
      const ok = await t.request("/api/checkout", {
        method: "POST",
        token: user.token,
        key: "k-bad",
        json: body,
      });
      expect(ok.status).toBe(201);
      await t.sql`update inventory set quantity = 50 where sku = 'HD-A'`;
    });
  }

  test("unicode that is valid is kept as sent", async () => {
    const user = nextUser();
    await fillCart(t, user, "HD-A", 1);
    const body = checkoutBody();
    const res = await t.request("/api/checkout", {
      method: "POST",
      token: user.token,
      key: "k-uni",
      json: { ...body, shipping_address: { ...body.shipping_address, name: "Zoë 𝄞 Łódź 東京" } },
    });
    expect(res.status).toBe(201);
    const order = (await res.json()) as { shipping_address: { name: string } };
    expect(order.shipping_address.name).toBe("Zoë 𝄞 Łódź 東京");
  });
});

describe("a pending order cancelled by its owner after its checkout died", () => {
  test("payment no longer shows pending; the idempotency key is freed by the sweeper", async () => {
    const user = nextUser();
    await fillCart(t, user, "HD-A", 2);
    const before = await stockOf(t.sql, "HD-A");
    const body = checkoutBody();
    // The checkout claimed its key and reserved, then its process died before charging.
    expect((await claimKey(t.deps.db.primary, user.id, "k-died", requestHash(body, undefined))).kind).toBe(
      "claimed",
    );
    const placed = await t.deps.db.tx((tx) =>
      placeOrder(tx, {
        userId: user.id,
        idempotencyKey: "k-died",
        cart: { token: undefined, userId: user.id },
        cartTokenSecret: t.options.cart.cartTokenSecret,
        shippingAddress: body.shipping_address,
        provider: "test_card",
        rules: { shippingFlatFee: 500, freeShippingFrom: 0, taxRateBps: 1000 },
        reservationSeconds: 900,
      }),
    );
    expect(await stockOf(t.sql, "HD-A")).toBe(before - 2);
    const cancel = await t.request(`/api/orders/${placed.order.id}/cancel`, {
      method: "POST",
      token: user.token,
    });
    expect(cancel.status).toBe(200);
    const view = (await cancel.json()) as { status: string; payment: { status: string } };
    expect(view.status).toBe("cancelled");
    expect(view.payment.status).not.toBe("pending");
    expect(await stockOf(t.sql, "HD-A")).toBe(before);

    // Right away the key still answers "in progress" (a live checkout could still be finishing)...
    const again = () =>
      t.request("/api/checkout", { method: "POST", token: user.token, key: "k-died", json: body });
    expect((await again()).status).toBe(409);
    // ...but once that cannot be the case any more, the sweeper gives the key back.
    await t.sql`update idempotency_keys set updated_at = now() - interval '1 hour' where key = 'k-died'`;
    await sweepExpiredReservations(t.deps, t.options.providers);
    await fillCart(t, user, "HD-A", 1);
    expect((await again()).status).toBe(201);
  });
});

describe("an old attempt finishing late does not touch a newer claim of its key", () => {
  test("completeKey/releaseKey of a swept order leave the retry's claim alone", async () => {
    const user = nextUser();
    const hash = requestHash(checkoutBody(), undefined);
    const oldOrder = crypto.randomUUID();
    // The retry (after the sweeper released the old attempt's key) holds a fresh claim...
    expect((await claimKey(t.deps.db.primary, user.id, "k-late", hash)).kind).toBe("claimed");
    // ...when the old attempt's late capture or failure tries to settle the key.
    await completeKey(t.deps.db.primary, user.id, "k-late", { status: 409, body: { old: true } }, oldOrder);
    await releaseKey(t.deps.db.primary, user.id, "k-late", oldOrder);
    const [row] = await t.sql<{ status: string }[]>`
      select status from idempotency_keys where user_id = ${user.id} and key = 'k-late'`;
    expect(row?.status).toBe("in_progress");
    // Its own outcome still settles it.
    await completeKey(t.deps.db.primary, user.id, "k-late", { status: 409, body: { mine: true } }, null);
    expect((await claimKey(t.deps.db.primary, user.id, "k-late", hash)).kind).toBe("replay");
  });
});
