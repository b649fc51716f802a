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
import { requestHash } from "./idempotency.ts";
import { sweepExpiredReservations } from "./sweeper.ts";

// Real services and processes: more than bun's 5 s default (the preload's default reaches only the first file).
setDefaultTimeout(60_000);

/**
 * Checkout promises of docs/orders.md not covered elsewhere: the payment
 * deadline, Retry-After on 503, items no longer sold, a malformed
 * Idempotency-Key, taking over a claim abandoned for 60 s, and the answer
 * when the confirmation's commit itself fails (`charge: "unknown"`).
 */
interface Problem {
  status: number;
  type: string;
  reason?: string;
  skus?: string[];
  order_id?: string;
  charge?: string;
}

let t: TestApp;
let users: TestUser[];
let n = 0;
const nextUser = () => users[n++]!;
const checkout = (user: TestUser, key: string, json: unknown = checkoutBody()) =>
  t.request("/api/checkout", { method: "POST", token: user.token, key, json });
const ordersOf = async (user: TestUser) =>
  t.sql<{ id: string; status: string; payment: string }[]>`
    select o.id, o.status, p.status as payment from orders o join payments p on p.order_id = o.id
    where o.user_id = ${user.id} order by o.created_at`;

beforeAll(async () => {
  t = await createTestApp();
  users = await createUsers(t.sql, 20);
  await createSkus(t.sql, [
    { sku: "PR-A", price: 1500, stock: 100 },
    { sku: "PR-B", price: 800, stock: 100 },
  ]);
  await createSkus(t.sql, [{ sku: "PR-GONE", price: 999, stock: 5 }]);
});
afterAll(() => t.close());

describe("payment deadline", () => {
  test("a provider that never answers counts as failed after PAYMENT_TIMEOUT_MS: 503 with Retry-After, nothing held", async () => {
    const never = controlledProvider({ held: true }); // its gate is only opened after the answer
    const s = await createTestApp({
      providers: new Map([["test_card", never.provider]]),
      checkout: { paymentTimeoutMs: 300 },
    });
    try {
      const [u] = await createUsers(s.sql, 1);
      await createSkus(s.sql, [{ sku: "PR-SLOW", price: 1000, stock: 3 }]);
      await fillCart(s, u!, "PR-SLOW", 2);
      const res = await s.request("/api/checkout", {
        method: "POST",
        token: u!.token,
        key: "k-deadline",
        json: checkoutBody(),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      const problem = (await res.json()) as Problem;
      expect(problem.type).toContain("payment-unavailable");
      expect(problem.reason).toBe("provider_timeout");
      expect(never.charges).toHaveLength(1);
      // Released, never left holding stock; the payment is marked failed, the cart is back.
      expect(await stockOf(s.sql, "PR-SLOW")).toBe(3);
      const [row] = await s.sql<{ status: string; payment: string }[]>`
        select o.status, p.status as payment from orders o join payments p on p.order_id = o.id
        where o.user_id = ${u!.id}`;
      expect(row).toEqual({ status: "cancelled", payment: "failed" });
      const cart = (await (await s.request("/api/cart", { token: u!.token })).json()) as {
        items: { sku: string; quantity: number }[];
      };
      expect(cart.items.map((i) => [i.sku, i.quantity])).toEqual([["PR-SLOW", 2]]);
    } finally {
      never.open();
      await s.close();
    }
  });
});

describe("Retry-After", () => {
  test("a processor outage (503) says when to retry; a decline (402) does not", async () => {
    const u = nextUser();
    await fillCart(t, u, "PR-A", 1);
    const outage = await checkout(u, "k-outage", checkoutBody("tok_error"));
    expect(outage.status).toBe(503);
    expect(outage.headers.get("retry-after")).toBe("1");
    expect(outage.headers.get("content-type")).toContain("application/problem+json");
    const declined = await checkout(u, "k-declined", checkoutBody("tok_decline"));
    expect(declined.status).toBe(402);
    expect(declined.headers.get("retry-after")).toBeNull();
  });
});

describe("items no longer sold", () => {
  test("a cart line whose product was archived → 422 items-unavailable naming the SKU; nothing reserved, key reusable", async () => {
    const u = nextUser();
    await fillCart(t, u, "PR-GONE", 1);
    await fillCart(t, u, "PR-B", 2);
    await t.sql`update products set status = 'archived'
      where id = (select product_id from variants where sku = 'PR-GONE')`;
    try {
      const before = await stockOf(t.sql, "PR-B");
      const res = await checkout(u, "k-gone");
      expect(res.status).toBe(422);
      const problem = (await res.json()) as Problem;
      expect(problem.type).toContain("items-unavailable");
      expect(problem.skus).toEqual(["PR-GONE"]);
      expect(await stockOf(t.sql, "PR-B")).toBe(before);
      expect(await ordersOf(u)).toHaveLength(0);
      // Nothing was stored on the key: after removing the line, the same key checks out.
      const cart = (await (await t.request("/api/cart", { token: u.token })).json()) as {
        items: { id: string; sku: string }[];
      };
      const gone = cart.items.find((i) => i.sku === "PR-GONE")!;
      const removed = await t.request(`/api/cart/items/${gone.id}`, { method: "DELETE", token: u.token });
      expect(removed.status).toBe(200);
      expect((await checkout(u, "k-gone")).status).toBe(201);
    } finally {
      await t.sql`update products set status = 'active'
        where id = (select product_id from variants where sku = 'PR-GONE')`;
    }
  });
});

describe("Idempotency-Key format", () => {
  test("a key with a space, a control character or over 255 characters → 400; 255 visible characters are accepted", async () => {
    const u = nextUser();
    for (const key of ["has space", "tab\there", "k".repeat(256)]) {
      const res = await checkout(u, key);
      expect(`${JSON.stringify(key)} ${res.status}`).toBe(`${JSON.stringify(key)} 400`);
      expect(((await res.json()) as Problem).type).toContain("invalid-idempotency-key");
    }
    expect(await ordersOf(u)).toHaveLength(0);
    await fillCart(t, u, "PR-A", 1);
    expect((await checkout(u, `~${"k".repeat(254)}`)).status).toBe(201);
  });
});

describe("a claim abandoned before its order was made", () => {
  test("is answered 'in progress' for 60 s, then taken over by a retry with the same key and body", async () => {
    const u = nextUser();
    await fillCart(t, u, "PR-A", 1);
    // A claim as a checkout leaves it when its process dies between the claim and the order
    // transaction. Time is controlled through the claim's updated_at, not waited for.
    const hash = requestHash(checkoutBody(), undefined);
    await t.sql`insert into idempotency_keys (user_id, key, request_hash, updated_at)
      values (${u.id}, 'k-stale', ${hash}, now() - interval '58 seconds')`;
    const early = await checkout(u, "k-stale");
    expect(early.status).toBe(409);
    expect(((await early.json()) as Problem).type).toContain("checkout-in-progress");
    expect(await ordersOf(u)).toHaveLength(0);

    await t.sql`update idempotency_keys set updated_at = now() - interval '61 seconds'
      where user_id = ${u.id} and key = 'k-stale'`;
    const late = await checkout(u, "k-stale");
    expect(late.status).toBe(201);
    const orders = await ordersOf(u);
    expect(orders.map((o) => o.status)).toEqual(["paid"]);
    // A different body under the stale key is still a mismatch, not a takeover.
    const other = nextUser();
    await t.sql`insert into idempotency_keys (user_id, key, request_hash, updated_at)
      values (${other.id}, 'k-stale', 'another-request', now() - interval '61 seconds')`;
    await fillCart(t, other, "PR-A", 1);
    expect((await checkout(other, "k-stale")).status).toBe(422);
  });
});

describe("the confirmation's commit fails after the capture", () => {
  test('503 with charge "unknown" and Retry-After; the order stays pending until the sweeper refunds it once', async () => {
    const rec = controlledProvider();
    const s = await createTestApp({ providers: new Map([["test_card", rec.provider]]) });
    try {
      const [u] = await createUsers(s.sql, 1);
      await createSkus(s.sql, [{ sku: "PR-UNK", price: 1200, stock: 5 }]);
      await fillCart(s, u!, "PR-UNK", 2);
      // Every statement of the confirmation succeeds; the COMMIT is refused (a deferred
      // constraint trigger fires at commit time), as when the connection drops mid-commit.
      await s.sql`create function refuse_paid_commit() returns trigger language plpgsql as $$
        begin
          if new.status = 'paid' then raise exception 'commit refused by the test'; end if;
          return new;
        end $$`;
      await s.sql`create constraint trigger refuse_paid_commit after update on orders
        deferrable initially deferred for each row execute function refuse_paid_commit()`;
      const res = await s.request("/api/checkout", {
        method: "POST",
        token: u!.token,
        key: "k-unknown",
        json: checkoutBody(),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const problem = (await res.json()) as Problem;
      expect(problem.type).toContain("payment-unconfirmed");
      expect(problem.charge).toBe("unknown");
      // Nothing refunded yet: the outcome is not known, so the sweeper decides.
      expect(rec.charges).toHaveLength(1);
      expect(rec.refunds).toEqual([]);
      const [row] = await s.sql<
        { id: string; status: string; payment: string; provider_ref: string | null }[]
      >`
        select o.id, o.status, p.status as payment, p.provider_ref
        from orders o join payments p on p.order_id = o.id where o.user_id = ${u!.id}`;
      // The capture is on record (provider_ref), the order still pending: the sweeper's case.
      expect(row!.status).toBe("pending");
      expect(row!.payment).toBe("pending");
      expect(row!.provider_ref).toBe(rec.charges[0] ? `tc_${rec.charges[0].paymentId}` : "none");
      expect(await stockOf(s.sql, "PR-UNK")).toBe(3);

      await s.sql`drop trigger refuse_paid_commit on orders`;
      await s.sql`update orders set reservation_expires_at = now() - interval '1 second' where id = ${row!.id}`;
      expect(await sweepExpiredReservations(s.deps, new Map([["test_card", rec.provider]]), 100)).toBe(1);
      expect(rec.refunds.map((r): string | null => r.providerRef)).toEqual([row!.provider_ref]);
      expect(await stockOf(s.sql, "PR-UNK")).toBe(5);
    } finally {
      await s.close();
    }
  });
});
