import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { recordCapture } from "../payments/records.ts";
import { controlledProvider } from "../payments/test-support.ts";
import { checkoutBody, createSkus, createUsers, fillCart, stockOf } from "../testing/fixtures.ts";
import { createTestApp } from "../testing/harness.ts";
import { sweepExpiredReservations } from "./sweeper.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

/**
 * Money taken but no order recorded: the charge goes through and then the
 * confirmation fails (or never happens). Real Postgres; the provider is the
 * test_card one with its calls recorded, and held at a gate where needed.
 */

interface Problem {
  status: number;
  type: string;
  order_id?: string;
  charge?: string;
}

describe("a charge that cannot be confirmed", () => {
  test("the confirmation fails after the capture: the charge is refunded, stock and cart come back", async () => {
    const rec = controlledProvider();
    const s = await createTestApp({
      providers: new Map([["test_card", rec.provider]]),
      checkoutFaults: {
        beforeConfirm() {
          throw new Error("injected: the confirmation fails after the charge");
        },
      },
    });
    try {
      const [u] = await createUsers(s.sql, 1);
      await createSkus(s.sql, [{ sku: "COMP-1", price: 1000, stock: 3 }]);
      await fillCart(s, u!, "COMP-1", 2);
      const res = await s.request("/api/checkout", {
        method: "POST",
        token: u!.token,
        key: "k-comp",
        json: checkoutBody(),
      });
      expect(res.status).toBe(503);
      const problem = (await res.json()) as Problem;
      expect(problem.type).toContain("payment-unconfirmed");
      expect(problem.charge).toBe("refunded");

      // Exactly one refund, of exactly what was charged.
      expect(rec.charges).toHaveLength(1);
      const [row] = await s.sql<
        { payment_id: string; total: string; currency: string; status: string; payment: string }[]
      >`
        select p.id as payment_id, o.total, trim(o.currency) as currency, o.status, p.status as payment
        from orders o join payments p on p.order_id = o.id where o.user_id = ${u!.id}`;
      expect(row!.status).toBe("cancelled");
      expect(row!.payment).toBe("refunded");
      expect(rec.refunds).toEqual([
        { providerRef: `tc_${row!.payment_id}`, amount: Number(row!.total), currency: row!.currency },
      ]);
      expect(await stockOf(s.sql, "COMP-1")).toBe(3);
      const cart = (await (await s.request("/api/cart", { token: u!.token })).json()) as {
        items: { sku: string; quantity: number }[];
      };
      expect(cart.items.map((i) => [i.sku, i.quantity])).toEqual([["COMP-1", 2]]);

      // The key was released with the order: a retry runs again instead of waiting on a dead checkout.
      const retry = await s.request("/api/checkout", {
        method: "POST",
        token: u!.token,
        key: "k-comp",
        json: checkoutBody(),
      });
      expect(((await retry.json()) as Problem).type).toContain("payment-unconfirmed");
      expect(rec.charges).toHaveLength(2);
      expect(rec.refunds).toHaveLength(2);
    } finally {
      await s.close();
    }
  });

  test("a capture recorded for an order never confirmed is refunded once, by the reservation sweeper", async () => {
    const rec = controlledProvider({ held: true });
    const s = await createTestApp({ providers: new Map([["test_card", rec.provider]]) });
    try {
      const [u] = await createUsers(s.sql, 1);
      await createSkus(s.sql, [{ sku: "COMP-2", price: 700, stock: 4 }]);
      await fillCart(s, u!, "COMP-2", 1);
      const pending = s.request("/api/checkout", {
        method: "POST",
        token: u!.token,
        key: "k-sweep",
        json: checkoutBody(),
      });
      await rec.firstCharge;
      const [pay] = await s.sql<{ id: string; order_id: string }[]>`
        select p.id, p.order_id from payments p join orders o on o.id = p.order_id where o.user_id = ${u!.id}`;
      // As if the charge had returned and its capture been recorded, and the process had then died
      // (or the confirmation's commit been lost): the order is still pending when its hold expires.
      await recordCapture(s.sql, pay!.id, `tc_${pay!.id}`);
      await s.sql`update orders set reservation_expires_at = now() - interval '1 second' where id = ${pay!.order_id}`;
      expect(await sweepExpiredReservations(s.deps, s.options.providers)).toBe(1);
      expect(rec.refunds.map((r) => r.providerRef)).toEqual([`tc_${pay!.id}`]);
      expect(await stockOf(s.sql, "COMP-2")).toBe(4);

      // The held checkout now finishes: its confirmation finds the order gone and the charge
      // already refunded, so it answers 409 without a second refund.
      rec.open();
      const res = await pending;
      expect(res.status).toBe(409);
      expect(((await res.json()) as Problem).type).toContain("checkout-expired");
      expect(rec.refunds).toHaveLength(1);
      const [row] = await s.sql<{ status: string; payment: string }[]>`
        select o.status, p.status as payment from orders o join payments p on p.order_id = o.id where o.id = ${pay!.order_id}`;
      expect(row).toEqual({ status: "cancelled", payment: "refunded" });
    } finally {
      await s.close();
    }
  });
});
