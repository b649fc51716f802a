import { expect, test } from "bun:test";
import type { ProductListItem } from "../../catalog/present.ts";
import { ItemCache } from "./items.ts";

/** A list item as the catalog presents it; `category` names the category's slug and name. */
const item = (id: number, title = `p${id}`, category = "audio"): ProductListItem => ({
  slug: `p${id}`,
  title,
  brand: "Sonica",
  category: { id: category.length, slug: category, name: category.toUpperCase() },
  images: ["/media/products/1.svg", `/media/products/${id}.svg`],
  price: { amount: 1000 + id, currency: "USD" },
  max_price: { amount: 2000 + id, currency: "USD" },
  in_stock: true,
  variants: [
    {
      sku: `S-${id}`,
      title: "Standard",
      price: { amount: 1000 + id, currency: "USD" },
      stock_status: "in_stock",
    },
  ],
  rating: { average: null, count: 0 },
  created_at: new Date(id * 1000).toISOString(),
});

/** A loader over an in-memory catalog that records what it was asked. */
function catalog() {
  const titles = new Map<number, string>();
  const calls: { ids: number[]; minLsn: bigint | null }[] = [];
  let gate: Promise<void> | null = null;
  return {
    titles,
    calls,
    hold() {
      let open!: () => void;
      gate = new Promise((r) => {
        open = r;
      });
      return () => {
        gate = null;
        open();
      };
    },
    async load(ids: number[], minLsn: bigint | null) {
      calls.push({ ids, minLsn });
      const snapshot = new Map(
        ids.filter((id) => titles.has(id)).map((id) => [id, item(id, titles.get(id))]),
      );
      if (gate) await gate;
      return snapshot;
    },
  };
}

test("loads only what it does not hold, keeps order, skips products no longer there", async () => {
  const c = catalog();
  for (const id of [1, 2, 3]) c.titles.set(id, `p${id}`);
  const cache = new ItemCache(c.load, 10);
  expect((await cache.get([3, 1])).map((i) => i.slug)).toEqual(["p3", "p1"]);
  expect((await cache.get([1, 2, 3, 4])).map((i) => i.slug)).toEqual(["p1", "p2", "p3"]);
  expect(c.calls.map((x) => x.ids)).toEqual([
    [3, 1],
    [2, 4],
  ]);
});

test("an invalidated product is read again, at least at the invalidation's position", async () => {
  const c = catalog();
  c.titles.set(1, "old");
  const cache = new ItemCache(c.load, 10);
  await cache.get([1]);
  c.titles.set(1, "new");
  expect((await cache.get([1]))[0]!.title).toBe("old");
  cache.invalidate([1], 50n);
  expect((await cache.get([1]))[0]!.title).toBe("new");
  expect(c.calls.at(-1)!.minLsn).toBe(50n);
  cache.clear(70n);
  await cache.get([1], 60n);
  expect(c.calls.at(-1)!.minLsn).toBe(70n);
});

test("a load that was in flight during an invalidation serves its request but is not kept", async () => {
  const c = catalog();
  c.titles.set(1, "old");
  const cache = new ItemCache(c.load, 10);
  const open = c.hold();
  const pending = cache.get([1]);
  c.titles.set(1, "new");
  cache.invalidate([1], 10n);
  open();
  expect((await pending)[0]!.title).toBe("old");
  expect((await cache.get([1]))[0]!.title).toBe("new");
});

test("the least recently used item leaves first", async () => {
  const c = catalog();
  for (const id of [1, 2, 3]) c.titles.set(id, `p${id}`);
  const cache = new ItemCache(c.load, 2);
  await cache.get([1, 2]);
  await cache.get([1]);
  await cache.get([3]);
  expect(cache.size).toBe(2);
  c.calls.length = 0;
  await cache.get([1, 3]);
  await cache.get([2]);
  expect(c.calls.map((x) => x.ids)).toEqual([[2]]);
});

test("kept items equal what was loaded, one category object shared while its slug and name hold", async () => {
  const c = catalog();
  for (const id of [1, 2, 3]) c.titles.set(id, `p${id}`);
  let name: string | null = null;
  // The same loader, with the category renamed once `name` is set.
  const load = async (ids: number[], minLsn: bigint | null) => {
    const found = await c.load(ids, minLsn);
    if (name !== null)
      for (const [id, it] of found) found.set(id, { ...it, category: { ...it.category, name: name } });
    return found;
  };
  const cache = new ItemCache(load, 10);
  const first = await cache.get([1, 2]);
  expect(first).toEqual([item(1), item(2)]);
  expect(first[1]!.category).toBe(first[0]!.category);
  expect(await cache.get([2, 1])).toEqual([item(2), item(1)]);
  name = "Sound";
  const [third] = await cache.get([3]);
  expect(third!.category).toEqual({ id: 5, slug: "audio", name: "Sound" });
  expect(third!.category).not.toBe(first[0]!.category);
});
