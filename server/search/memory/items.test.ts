import { expect, test } from "bun:test";
import type { ProductListItem } from "../../catalog/present.ts";
import { ItemCache } from "./items.ts";

const item = (id: number, title = `p${id}`) => ({ slug: `p${id}`, title }) as unknown as ProductListItem;

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

test("read: every item from the loader at the position asked (or the last invalidation's), nothing kept", async () => {
  const c = catalog();
  c.titles.set(1, "old");
  c.titles.set(2, "p2");
  const cache = new ItemCache(c.load, 10);
  await cache.get([1]);
  c.titles.set(1, "new");
  expect((await cache.read([2, 1, 3], 40n)).map((i) => i.title)).toEqual(["p2", "new"]);
  expect(c.calls.at(-1)).toEqual({ ids: [2, 1, 3], minLsn: 40n });
  expect(cache.size).toBe(1);
  expect((await cache.get([1]))[0]!.title).toBe("old"); // the held item is untouched (the follower drops it)
  cache.invalidate([9], 90n);
  await cache.read([2], 40n);
  expect(c.calls.at(-1)!.minLsn).toBe(90n);
});

test("evicts the least recently used item, as a reference list does, over many gets and clears", async () => {
  const c = catalog();
  for (let id = 0; id < 400; id++) c.titles.set(id, `p${id}`);
  const capacity = 37;
  const cache = new ItemCache(c.load, capacity);
  // Reference: ids in recency order, oldest first.
  let order: number[] = [];
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let step = 0; step < 3000; step++) {
    if (step % 997 === 996) {
      cache.clear(BigInt(step));
      order = [];
      continue;
    }
    const ids = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => Math.floor(rnd() * 60)))];
    const held = ids.filter((id) => order.includes(id));
    c.calls.length = 0;
    await cache.get(ids);
    // Only what the reference holds is served from the cache.
    expect(c.calls.flatMap((x) => x.ids)).toEqual(ids.filter((id) => !held.includes(id)));
    // Hits move to the end first, then the loaded ones are added in request order.
    for (const id of held) order = [...order.filter((x) => x !== id), id];
    for (const id of ids) if (!held.includes(id)) order.push(id);
    while (order.length > capacity) order.shift();
    expect(cache.size).toBe(order.length);
  }
});
