import { expect, test } from "bun:test";
import fc from "fast-check";
import type { SearchSourceProduct } from "../../catalog/search-source.ts";
import type { SearchQuery } from "../types.ts";
import { searchAll } from "./query.ts";
import { comparator, topK } from "./rank.ts";
import { IndexStore } from "./store.ts";

const CATEGORIES = [
  { id: 1, parent_id: null, slug: "home" },
  { id: 2, parent_id: 1, slug: "kitchen" },
  { id: 3, parent_id: null, slug: "garden" },
];

function product(id: number, r: () => number): SearchSourceProduct {
  return {
    id,
    slug: `p${id}`,
    title: `P ${id}`,
    norm_title: `p ${id}`,
    brand: ["", "acme", "zen"][Math.floor(r() * 3)]!,
    category_id: 1 + Math.floor(r() * 3),
    // Few distinct prices and dates: ties are where a wrong tie-break shows.
    min_price: 100 * Math.floor(r() * 8),
    in_stock: r() < 0.7,
    rating_sum: Math.floor(r() * 20),
    rating_count: Math.floor(r() * 5),
    created_us: 1_000_000 * Math.floor(r() * 6),
    vector: `'p':1A`,
  };
}

/** The page as the heap alone computes it (no kept orders): the reference. */
function reference(store: IndexStore, q: SearchQuery): number[] {
  const d = store.docs;
  const sort = q.sort === "relevance" ? "newest" : q.sort;
  const all: number[] = [];
  const mask = q.category === undefined ? undefined : store.categories.subtree(q.category)!;
  for (let s = 0; s < d.size; s++) {
    if (d.live[s] !== 1) continue;
    if (mask && (d.category[s]! < 0 || mask[d.category[s]!] !== 1)) continue;
    if (q.in_stock !== undefined && d.inStock[s] !== (q.in_stock ? 1 : 0)) continue;
    if (q.brand !== undefined && d.brandNames[d.brand[s]!] !== q.brand) continue;
    if (q.min_price !== undefined && d.price[s]! < q.min_price) continue;
    if (q.max_price !== undefined && d.price[s]! > q.max_price) continue;
    all.push(s);
  }
  const want = q.page * q.page_size;
  return topK(Int32Array.from(all), want, comparator(store, sort, null))
    .slice(want - q.page_size)
    .map((s) => d.ids[s]!);
}

test("pages and totals from kept orders and filter bit sets equal a plain scan's, before and after writes", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.array(
        fc.record({
          sort: fc.constantFrom("newest", "price_asc", "price_desc", "rating", "relevance"),
          category: fc.option(fc.constantFrom("home", "kitchen", "garden"), { nil: undefined }),
          in_stock: fc.option(fc.boolean(), { nil: undefined }),
          brand: fc.option(fc.constantFrom("", "acme", "zen", "nobody"), { nil: undefined }),
          min_price: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
          max_price: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
          page: fc.integer({ min: 1, max: 4 }),
          page_size: fc.integer({ min: 1, max: 30 }),
          write: fc.boolean(),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      (seed, queries) => {
        let x = seed;
        const r = () => {
          x = (x * 48271) % 2147483647;
          return x / 2147483647;
        };
        const store = new IndexStore([{ word: "p", ndoc: 300 }], CATEGORIES, 400);
        for (let id = 1; id <= 300; id++) store.load(product(id, r));
        store.seal();
        for (const { write, ...rest } of queries) {
          // A write between queries: a kept order must not answer until rebuilt.
          if (write) store.upsert({ ...product(1 + Math.floor(r() * 300), r), vector: `'p':1A` });
          const q = { ...rest } as SearchQuery;
          const got = searchAll(store, q, false);
          const all = reference(store, { ...q, page: 1, page_size: 1_000 });
          expect(got.ids).toEqual(reference(store, q));
          expect(got.total).toBe(all.length);
        }
      },
    ),
    { numRuns: 60 },
  );
});
