import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createSkus, createUsers, type TestUser } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { dailySeries } from "./service.ts";

setDefaultTimeout(120_000);

interface Outlook {
  sku: string;
  stock: number;
  model: string | null;
  forecast: number[];
  daily_demand: number;
  days_of_cover: number | null;
  reorder: { needed: boolean; reorder_point: number; suggested_quantity: number };
}

let t: TestApp;
let admin: TestUser;

/** 70 days of paid orders: weekdays sell `weekday` units, weekends `weekend`. */
async function plantSales(sku: string, weekday: number, weekend: number, user: number): Promise<void> {
  for (let d = 70; d >= 1; d--) {
    const at = new Date(Date.now() - d * 86_400_000);
    const dow = at.getUTCDay();
    const q = dow === 0 || dow === 6 ? weekend : weekday;
    await t.sql`
      with o as (
        insert into orders (user_id, status, currency, subtotal, shipping, tax, total, shipping_address, created_at)
        values (${user}, 'paid', 'USD', ${q * 100}, 0, 0, ${q * 100}, '{}'::jsonb, ${at}) returning id)
      insert into order_lines (order_id, sku, title, quantity, unit_price, line_total)
      select id, ${sku}, ${sku}, ${q}, 100, ${q * 100} from o`;
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = (await createUsers(t.sql, 1, "admin"))[0]!;
  const [buyer] = await createUsers(t.sql, 1);
  await createSkus(t.sql, [
    { sku: "FC-LOW", price: 100, stock: 30 },
    { sku: "FC-PLENTY", price: 100, stock: 5000 },
    { sku: "FC-NEW", price: 100, stock: 10 },
  ]);
  await plantSales("FC-LOW", 10, 30, buyer!.id);
  await plantSales("FC-PLENTY", 10, 30, buyer!.id);
});
afterAll(() => t.close());

const get = async <T>(path: string) => {
  const res = await t.request(`/api/ai/forecast${path}`, { token: admin.token });
  return { status: res.status, body: (await res.json()) as T };
};

test("a SKU's outlook follows its weekly pattern and computes cover and reorder", async () => {
  const { status, body } = await get<Outlook>("/skus/FC-LOW");
  expect(status).toBe(200);
  expect(body.model).toBe("holt_winters");
  expect(body.forecast.length).toBe(28);
  // (5·10 + 2·30) / 7 ≈ 15.7 units a day
  expect(body.daily_demand).toBeGreaterThan(14);
  expect(body.daily_demand).toBeLessThan(17.5);
  expect(Math.max(...body.forecast)).toBeGreaterThan(25); // weekends
  expect(Math.min(...body.forecast)).toBeLessThan(13); // weekdays
  expect(body.days_of_cover).toBeCloseTo(30 / body.daily_demand, 0);
  expect(body.reorder.needed).toBe(true);
  expect(body.reorder.suggested_quantity).toBeGreaterThan(150);
});

test("low-stock lists what needs reordering; no sales is no forecast, not an error", async () => {
  const low = await get<{ items: Outlook[] }>("/low-stock");
  expect(low.body.items.map((i) => i.sku)).toEqual(["FC-LOW"]);
  const none = await get<Outlook>("/skus/FC-NEW");
  expect(none.status).toBe(200);
  expect(none.body.model).toBeNull();
  expect(none.body.days_of_cover).toBeNull();
  expect((await get("/skus/bad%20sku")).status).toBe(400);
  const customer = (await createUsers(t.sql, 1))[0]!;
  expect((await t.request("/api/ai/forecast/low-stock", { token: customer.token })).status).toBe(403);
});

test("the console shows the low-stock warning", async () => {
  const page = await t.request("/admin/forecast", { headers: { cookie: `sf_at=${admin.token}` } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('data-sku="FC-LOW"');
});

test("dailySeries fills missing days with zeros, oldest first, ending yesterday", () => {
  const today = new Date("2026-03-10T12:00:00Z");
  expect(dailySeries([{ sku: "x", day: "2026-03-08", quantity: 4, avgUnitPrice: 1 }], 3, today)).toEqual([
    0, 4, 0,
  ]);
});
