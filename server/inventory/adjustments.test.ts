import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { seedFixture } from "../catalog/test-support.ts";
import { listAdjustments } from "./adjustments.ts";
import { adjustStock } from "./stock.ts";

setDefaultTimeout(60_000);

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase("adjustments");
  await seedFixture(d.sql);
});
afterAll(() => d.drop());

test("the audit list shows who, how much, the quantity after and why, newest first, for the given SKUs only", async () => {
  await d.db.tx((tx) => adjustStock(tx, "PIX-128", 5, "delivery", 42));
  await d.db.tx((tx) => adjustStock(tx, "PIX-128", -2, "damaged", 7));
  await d.db.tx((tx) => adjustStock(tx, "PIX-256", 3, "found in the back", null));
  const rows = await listAdjustments(d.db.primary, ["PIX-128"]);
  expect(rows.map((r) => [r.sku, r.delta, r.reason, r.actor_id])).toEqual([
    ["PIX-128", -2, "damaged", 7],
    ["PIX-128", 5, "delivery", 42],
  ]);
  expect(rows[0]!.quantity_after).toBe(rows[1]!.quantity_after - 2);
  expect(Date.parse(rows[0]!.created_at)).not.toBeNaN();
  expect((await listAdjustments(d.db.primary, ["PIX-128", "PIX-256"], 1)).map((r) => r.sku)).toEqual([
    "PIX-256",
  ]);
  expect(await listAdjustments(d.db.primary, [])).toEqual([]);
});
