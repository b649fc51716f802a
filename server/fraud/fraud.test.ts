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

setDefaultTimeout(60_000);

interface OrderBody {
  id: string;
  status: string;
  risk?: { score: number; reasons: string[] } | null;
  payment: { status: string } | null;
}

const bigSku = { sku: "FR-BIG", price: 60_000, stock: 20 };
const smallSku = { sku: "FR-SMALL", price: 1000, stock: 100 };

const checkout = (t: TestApp, u: TestUser, key: string, token = "tok_visa", ip = "203.0.113.7") =>
  t.request("/api/checkout", {
    method: "POST",
    token: u.token,
    key,
    json: checkoutBody(token),
    headers: { "x-forwarded-for": ip },
  });
const eventsOf = async (t: TestApp, orderId: string) =>
  (await t.sql<{ type: string }[]>`select type from outbox where aggregate_id = ${orderId} order by seq`).map(
    (e) => e.type,
  );

/** A new account, two declined cards, then a big order: new-account-high-amount + account declines. */
async function suspiciousOrder(t: TestApp, u: TestUser, tag: string): Promise<Response> {
  await fillCart(t, u, bigSku.sku, 1);
  for (const n of [1, 2]) expect((await checkout(t, u, `${tag}-d${n}`, "tok_decline")).status).toBe(402);
  return checkout(t, u, `${tag}-ok`);
}

describe("fraud scoring in checkout", () => {
  let t: TestApp;
  let admin: TestUser;
  let users: TestUser[];
  const provider = controlledProvider();
  beforeAll(async () => {
    t = await createTestApp({ providers: new Map([["test_card", provider.provider]]) });
    admin = (await createUsers(t.sql, 1, "admin"))[0]!;
    users = await createUsers(t.sql, 6);
    await createSkus(t.sql, [bigSku, smallSku]);
  });
  afterAll(() => t.close());

  test("an ordinary order is paid; its score and reasons are stored and shown to staff", async () => {
    const u = users[0]!;
    await fillCart(t, u, smallSku.sku, 1);
    const res = await checkout(t, u, "clean");
    expect(res.status).toBe(201);
    const order = (await res.json()) as OrderBody;
    expect(order.status).toBe("paid");
    expect(order.risk).toBeUndefined(); // customers never see it
    const staff = (await (
      await t.request(`/api/admin/orders/${order.id}`, { token: admin.token })
    ).json()) as OrderBody;
    expect(staff.risk).toEqual({ score: 0, reasons: [] });
  });

  test("a planted attack waits in review with its reasons; stock stays taken; replay answers the same", async () => {
    const u = users[1]!;
    const before = await stockOf(t.sql, bigSku.sku);
    const res = await suspiciousOrder(t, u, "sus1");
    expect(res.status).toBe(201);
    const order = (await res.json()) as OrderBody;
    expect(order.status).toBe("review");
    expect(order.payment?.status).toBe("captured");
    expect(await stockOf(t.sql, bigSku.sku)).toBe(before - 1);
    expect(await eventsOf(t, order.id)).toEqual(["order.placed", "order.review_required"]);
    const [row] = await t.sql<{ risk_score: number; risk_reasons: string[] }[]>`
      select risk_score, risk_reasons from orders where id = ${order.id}`;
    expect(row!.risk_reasons).toEqual(["account_declines", "new_account_high_amount"]);
    expect(row!.risk_score).toBeCloseTo(0.75, 4);
    const replay = await checkout(t, u, "sus1-ok");
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as OrderBody).id).toBe(order.id);
    // Generic transitions cannot bypass the review.
    const forced = await t.request(`/api/admin/orders/${order.id}/transition`, {
      method: "POST",
      token: admin.token,
      json: { to: "paid" },
    });
    expect(forced.status).toBe(409);
  });

  test("staff list held orders, approve one (→ paid) and reject another (→ cancelled, refunded, restocked)", async () => {
    const a = (await (await suspiciousOrder(t, users[2]!, "sus2")).json()) as OrderBody;
    const r = (await (await suspiciousOrder(t, users[3]!, "sus3")).json()) as OrderBody;
    const list = (await (await t.request("/api/admin/fraud/reviews", { token: admin.token })).json()) as {
      items: OrderBody[];
    };
    expect(list.items.map((o) => o.id)).toEqual(expect.arrayContaining([a.id, r.id]));
    expect(list.items.every((o) => o.status === "review" && (o.risk?.score ?? 0) >= 0.6)).toBe(true);

    const customer = await t.request(`/api/admin/fraud/reviews/${a.id}`, {
      method: "POST",
      token: users[2]!.token,
      json: { decision: "approve" },
    });
    expect(customer.status).toBe(403);
    const bad = await t.request(`/api/admin/fraud/reviews/${a.id}`, {
      method: "POST",
      token: admin.token,
      json: { decision: "maybe" },
    });
    expect(bad.status).toBe(422);

    const approve = async (id: string, decision: string) =>
      t.request(`/api/admin/fraud/reviews/${id}`, {
        method: "POST",
        token: admin.token,
        json: { decision, note: "checked with the customer" },
      });
    const approved = await approve(a.id, "approve");
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as OrderBody).status).toBe("paid");
    expect(await eventsOf(t, a.id)).toEqual([
      "order.placed",
      "order.review_required",
      "order.paid",
      "order.review_approved",
    ]);
    expect((await approve(a.id, "reject")).status).toBe(409);

    const stock = await stockOf(t.sql, bigSku.sku);
    const refundsBefore = provider.refunds.length;
    const rejected = await approve(r.id, "reject");
    expect(rejected.status).toBe(200);
    const body = (await rejected.json()) as OrderBody;
    expect(body.status).toBe("cancelled");
    expect(body.payment?.status).toBe("refunded");
    expect(provider.refunds.length).toBe(refundsBefore + 1);
    expect(await stockOf(t.sql, bigSku.sku)).toBe(stock + 1);
    expect(await eventsOf(t, r.id)).toEqual([
      "order.placed",
      "order.review_required",
      "order.cancelled",
      "order.review_rejected",
    ]);
    const [attempt] = await t.sql<
      { outcome: string }[]
    >`select outcome from fraud_attempts where order_id = ${r.id}`;
    expect(attempt!.outcome).toBe("rejected");
  });

  test("the console page lists held orders and approves one by form post", async () => {
    const held = (await (await suspiciousOrder(t, users[4]!, "sus4")).json()) as OrderBody;
    const cookie = { cookie: `sf_at=${admin.token}` };
    const page = await t.request("/admin/fraud", { headers: cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`data-order="${held.id}"`);
    expect(html).toContain("account_declines, new_account_high_amount");
    const post = await t.request(`/admin/fraud/${held.id}`, {
      method: "POST",
      headers: { ...cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "decision=approve&note=ok",
    });
    expect(post.status).toBe(303);
    expect(post.headers.get("location")).toBe("/admin/fraud?done=approve");
    const [row] = await t.sql<{ status: string }[]>`select status from orders where id = ${held.id}`;
    expect(row!.status).toBe("paid");
  });
});

describe("a broken scorer never blocks checkout", () => {
  const cases = [
    { policy: "allow" as const, status: "paid", fault: () => Promise.reject(new Error("scorer down")) },
    {
      policy: "review" as const,
      status: "review",
      fault: () => new Promise<void>((r) => setTimeout(r, 2000)),
    },
  ];
  for (const c of cases) {
    test(`failure policy ${c.policy}: the order is ${c.status}, the failure is counted`, async () => {
      const t = await createTestApp({
        fraud: { failurePolicy: c.policy, timeoutMs: 50 },
        checkoutFaults: { scorer: c.fault },
      });
      try {
        const [u] = await createUsers(t.sql, 1);
        await createSkus(t.sql, [{ sku: `FR-F-${c.policy}`, price: 1000, stock: 5 }]);
        await fillCart(t, u!, `FR-F-${c.policy}`, 1);
        const res = await checkout(t, u!, "k");
        expect(res.status).toBe(201);
        const order = (await res.json()) as OrderBody;
        expect(order.status).toBe(c.status);
        const [row] = await t.sql<
          { risk_reasons: string[] }[]
        >`select risk_reasons from orders where id = ${order.id}`;
        expect(row!.risk_reasons).toEqual(["scorer_unavailable"]);
        const metrics = t.deps.metrics.render();
        expect(metrics).toMatch(
          new RegExp(`fraud_scoring_failures_total\\{policy="${c.policy}",reason="(error|timeout)"\\} 1`),
        );
      } finally {
        await t.close();
      }
    });
  }

  test("FRAUD_SCORING=off: orders are not scored", async () => {
    const t = await createTestApp({ env: { FRAUD_SCORING: "off" } });
    try {
      const [u] = await createUsers(t.sql, 1);
      await createSkus(t.sql, [{ sku: "FR-OFF", price: 1000, stock: 5 }]);
      await fillCart(t, u!, "FR-OFF", 1);
      const order = (await (await checkout(t, u!, "k")).json()) as OrderBody;
      expect(order.status).toBe("paid");
      const [row] = await t.sql<
        { risk_score: number | null }[]
      >`select risk_score from orders where id = ${order.id}`;
      expect(row!.risk_score).toBeNull();
      expect(Number((await t.sql`select count(*) n from fraud_attempts`)[0]!.n)).toBe(0);
    } finally {
      await t.close();
    }
  });
});
