import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { AppDeps } from "../core/deps.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { listItemsFor, listItemsJsonFor, productListSource, spliceItems } from "./list-source.ts";

setDefaultTimeout(120_000);

let t: TestApp;
const ids: number[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const [cat] = await t.sql<
    { id: string }[]
  >`insert into categories (slug, name) values ('c', 'Cups "&" mugs') returning id`;
  for (let i = 0; i < 6; i++) {
    const [row] = await t.sql<{ id: string }[]>`
      insert into products (slug, title, description, brand, category_id, status)
      values (${`mug-${i}`}, ${`Mug ${i} "é" \\ ☕`}, '', 'Acme', ${cat!.id}, ${i === 3 ? "archived" : "active"})
      returning id`;
    await t.sql`insert into variants (product_id, sku, title, price) values (${row!.id}, ${`SKU-${i}`}, '', ${100 + i})`;
    ids.push(Number(row!.id));
  }
});
afterAll(() => t.close());

test("the items' JSON texts are listItemsFor's items, in order, archived and unknown ones left out", async () => {
  const order = [ids[4]!, ids[0]!, ids[3]!, 999_999, ids[2]!];
  // The app's own list source (the search index's item cache) when it has one, and the plain read.
  const bare = { ...t.deps } as AppDeps;
  expect(productListSource(t.deps)).toBeDefined();
  expect(productListSource(bare)).toBeUndefined();
  for (const deps of [t.deps, bare]) {
    const texts = await listItemsJsonFor(deps, order);
    expect(texts.map((x) => JSON.parse(x))).toEqual(await listItemsFor(deps, order));
    expect(texts).toHaveLength(3);
  }
  expect(await listItemsJsonFor(t.deps, [])).toEqual([]);
});

test("spliceItems writes what JSON.stringify writes for the object of the parsed items", async () => {
  const texts = await listItemsJsonFor({ ...t.deps } as AppDeps, ids);
  const items = texts.map((x) => JSON.parse(x) as unknown);
  expect(spliceItems("strategy", "similar", texts)).toBe(JSON.stringify({ strategy: "similar", items }));
  expect(spliceItems("mode", 'a "b"', [])).toBe(JSON.stringify({ mode: 'a "b"', items: [] }));
});
