import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { stockStatus } from "./stock.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("stock_threshold");
});
afterAll(async () => {
  await db.drop();
});

// Migration 0104 logs a product change when a SKU's stock status changes; its SQL copy of the
// threshold must draw the line exactly where stockStatus does, or search items would keep a stale status.
test("the database's low-stock threshold is stockStatus's", async () => {
  const [row] = await db.sql<{ t: number }[]>`select low_stock_threshold() as t`;
  const t = row!.t;
  expect(stockStatus(t)).toBe("low_stock");
  expect(stockStatus(t + 1)).toBe("in_stock");
  const ranks = await db.sql<{ q: number; r: number }[]>`
    select q, stock_status_rank(q) as r from unnest(${[-1, 0, 1, t, t + 1, 1000]}::int[]) q`;
  const expected = { out_of_stock: 0, low_stock: 1, in_stock: 2 } as const;
  for (const { q, r } of ranks) expect(r).toBe(expected[stockStatus(q)]);
});
