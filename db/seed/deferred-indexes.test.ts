import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { TxSql } from "../client.ts";
import { createTestDatabase, type TestDatabase } from "../testing.ts";
import { withIndexesDeferred } from "./deferred-indexes.ts";

setDefaultTimeout(60_000);

let d: TestDatabase;
/** Index definitions of products, read on `sql` (inside the load: its own transaction, which holds the lock). */
async function definitions(sql: TxSql | TestDatabase["sql"] = d.sql): Promise<string[]> {
  const rows = await sql<{ def: string }[]>`
    select indexdef as def from pg_indexes where tablename = 'products' order by indexname`;
  return rows.map((r) => r.def);
}

beforeAll(async () => {
  d = await createTestDatabase("defidx");
});
afterAll(() => d.drop());

test("drops the secondary indexes during the load (constraint ones stay) and rebuilds them", async () => {
  const before = await definitions();
  const during = await d.sql.begin((tx) => withIndexesDeferred(tx, ["products"], () => definitions(tx)));
  expect(during.length).toBeGreaterThan(0);
  expect(during.length).toBeLessThan(before.length);
  expect(during.some((def) => def.includes("products_slug_key"))).toBe(true);
  expect(await definitions()).toEqual(before);
});

test("a failing load leaves every index in place (the transaction rolls the drop back)", async () => {
  const before = await definitions();
  const failed = d.sql.begin((tx) =>
    withIndexesDeferred(tx, ["products"], async () => {
      throw new Error("load failed");
    }),
  );
  await expect(failed).rejects.toThrow("load failed");
  expect(await definitions()).toEqual(before);
});
