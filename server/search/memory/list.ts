import type { SearchFilters, SearchSort } from "../types.ts";
import { countBits, type SlotBits, type SortOrder } from "./orders.ts";
import { comparator } from "./rank.ts";
import type { IndexStore } from "./store.ts";

/** A list page (no text, no facets): its slots and the total. */
export interface ListPage {
  slots: number[];
  total: number;
}

/** First index in the price order whose price is at least `p` (`strict`: above `p`). */
function pricePosition(store: IndexStore, order: Int32Array, p: number, strict: boolean): number {
  const price = store.docs.price;
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const x = price[order[mid]!]!;
    if (x < p || (strict && x === p)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A page of a product list (no text, so no scores and no facets) without
 * listing the matches: category, brand and stock are one bit set (kept per
 * value, ANDed), a price range is a contiguous run of the kept price order
 * (two binary searches), the total is a count of bits or of that run, and the
 * page is read by walking the sort's kept order and stopping at page end. A
 * price sort walks the price run itself (forwards or backwards: price_desc is
 * exactly price_asc reversed, ids being unique). Null when this does not pay
 * (a sparse filter under a date or rating sort, where the walk would visit
 * most of the order) or the kept orders are stale: the caller then lists the
 * matches (`applyFilters`) and takes their lowest ranks.
 */
export function listPage(
  store: IndexStore,
  f: SearchFilters,
  sort: SearchSort,
  want: number,
): ListPage | null {
  if (f.min_rating !== undefined) return null;
  const orders = store.orders;
  const d = store.docs;
  const sets: SlotBits[] = [];
  if (f.category !== undefined) {
    const mask = store.categories.subtree(f.category);
    if (mask === null) return { slots: [], total: 0 };
    sets.push(orders.subtreeBits(f.category, mask));
  }
  if (f.brand !== undefined) {
    const brand = d.brandOf(f.brand);
    if (brand === -1) return { slots: [], total: 0 };
    sets.push(orders.brandBits(brand));
  }
  if (f.in_stock !== undefined) sets.push(orders.stockBits(f.in_stock ? 1 : 0));
  const bits = sets.length ? orders.intersect(sets) : null;
  const priced = f.min_price !== undefined || f.max_price !== undefined;
  const byPrice = priced || sort === "price_asc" || sort === "price_desc";
  const prices = byPrice ? orders.order("price_asc", comparator(store, "price_asc", null)) : null;
  if (byPrice && !prices) return null;
  const has = (s: number) => bits === null || (bits[s >>> 5]! & (1 << (s & 31))) !== 0;

  // The price run [lo, hi) of the price order, when a price bounds the list.
  let lo = 0;
  let hi = d.alive;
  if (priced) {
    lo = f.min_price === undefined ? 0 : pricePosition(store, prices!.slots, f.min_price, false);
    hi =
      f.max_price === undefined
        ? prices!.slots.length
        : pricePosition(store, prices!.slots, f.max_price, true);
    if (hi <= lo) return { slots: [], total: 0 };
  }
  let total: number;
  if (!priced) total = bits ? countBits(bits) : d.alive;
  else if (!bits) total = hi - lo;
  else {
    total = 0;
    const run = prices!.slots;
    for (let i = lo; i < hi; i++) if (has(run[i]!)) total++;
  }
  if (total === 0) return { slots: [], total: 0 };

  const page: number[] = [];
  if (sort === "price_asc" || sort === "price_desc") {
    const run = prices!.slots;
    if (sort === "price_asc") {
      for (let i = lo; i < hi && page.length < want; i++) if (has(run[i]!)) page.push(run[i]!);
    } else for (let i = hi - 1; i >= lo && page.length < want; i--) if (has(run[i]!)) page.push(run[i]!);
    return { slots: page, total };
  }
  // Newest or rating: a walk of that order visits about want × live / total slots.
  if (want * d.alive > 4 * total * total) return null;
  const order: SortOrder | null = orders.order(sort, comparator(store, sort, null));
  if (!order) return null;
  const { price } = d;
  const min = f.min_price ?? Number.NEGATIVE_INFINITY;
  const max = f.max_price ?? Number.POSITIVE_INFINITY;
  const slots = order.slots;
  for (let i = 0; i < slots.length && page.length < want; i++) {
    const s = slots[i]!;
    if (!has(s)) continue;
    const p = price[s]!;
    if (p >= min && p <= max) page.push(s);
  }
  return { slots: page, total };
}
