import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createSkus, createUsers, type TestUser } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import type { AdviceRecord } from "./store.ts";

setDefaultTimeout(120_000);

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await createUsers(t.sql, 1, "admin"))[0]!;
  const [buyer] = await createUsers(t.sql, 1);
  await createSkus(t.sql, [
    { sku: "PR-OVER", price: 1000, stock: 5000 },
    { sku: "PR-NEW", price: 1000, stock: 5 },
  ]);
  // 84 days of sales; the price alternates 900/1100 every week; demand ∝ p^-2.
  for (let d = 84; d >= 1; d--) {
    const at = new Date(Date.now() - d * 86_400_000);
    const price = Math.floor(d / 7) % 2 ? 900 : 1100;
    const q = Math.round(20 * (price / 1000) ** -2);
    await t.sql`
      with o as (
        insert into orders (user_id, status, currency, subtotal, shipping, tax, total, shipping_address, created_at)
        values (${buyer!.id}, 'paid', 'USD', ${q * price}, 0, 0, ${q * price}, '{}'::jsonb, ${at}) returning id)
      insert into order_lines (order_id, sku, title, quantity, unit_price, line_total)
      select id, 'PR-OVER', 'x', ${q}, ${price}, ${q * price} from o`;
  }
});
afterAll(() => t.close());

const post = (path: string, json?: unknown, token = admin.token) =>
  t.request(`/api/ai/pricing${path}`, { method: "POST", token, ...(json ? { json } : {}) });

test("overstock gets a lower suggested price with reasons; the decision is audited; prices never change", async () => {
  const res = await post("/skus/PR-OVER/advice");
  expect(res.status).toBe(201);
  const advice = (await res.json()) as AdviceRecord;
  expect(advice.elasticity!).toBeLessThan(-1.5);
  expect(advice.elasticity!).toBeGreaterThan(-2.5);
  expect(advice.suggested_price!).toBeLessThan(1000);
  expect(advice.reasons.join(" ")).toContain("overstock");
  const decided = await post(`/advice/${advice.id}/decision`, {
    decision: "rejected",
    note: "season ending",
  });
  expect(decided.status).toBe(200);
  expect(((await decided.json()) as AdviceRecord).decided_by).toBe(admin.id);
  expect((await post(`/advice/${advice.id}/decision`, { decision: "accepted" })).status).toBe(409);
  const [variant] = await t.sql<{ price: string }[]>`select price from variants where sku = 'PR-OVER'`;
  expect(Number(variant!.price)).toBe(1000);
  const trail = await t.request("/api/ai/pricing/advice?sku=PR-OVER", { token: admin.token });
  expect(((await trail.json()) as { items: AdviceRecord[] }).items.map((a) => a.decision)).toEqual([
    "rejected",
  ]);
});

test("no history → a recorded answer without a price; unknown SKU 404; customers 403", async () => {
  const none = (await (await post("/skus/PR-NEW/advice")).json()) as AdviceRecord;
  expect(none.suggested_price).toBeNull();
  expect(none.reasons[0]).toContain("no demand forecast");
  expect((await post("/skus/NOPE/advice")).status).toBe(404);
  const customer = (await createUsers(t.sql, 1))[0]!;
  expect((await post("/skus/PR-OVER/advice", undefined, customer.token)).status).toBe(403);
  expect((await post("/advice/1/decision", { decision: "maybe" })).status).toBe(422);
});
