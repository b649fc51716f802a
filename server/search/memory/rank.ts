import { MAX_BRAND_FACETS, PRICE_BUCKETS, PRICE_EDGES, RATING_MINS } from "../facet-buckets.ts";
import type { Facets, SearchSort } from "../types.ts";
import type { IndexStore } from "./store.ts";

/** True when slot `a` comes before slot `b` in this order. */
export type Before = (a: number, b: number) => boolean;

/**
 * The sorts with the product list's exact tie-breaking (see
 * `productOrderBy`): the id breaks ties, so pages are stable and equal to
 * Postgres's. Relevance: score, then id descending.
 */
export function comparator(store: IndexStore, sort: SearchSort, scores: Float32Array | null): Before {
  const d = store.docs;
  const { ids, price, created, ratingCount } = d;
  switch (sort) {
    case "price_asc":
      return (a, b) => price[a]! < price[b]! || (price[a] === price[b] && ids[a]! < ids[b]!);
    case "price_desc":
      return (a, b) => price[a]! > price[b]! || (price[a] === price[b] && ids[a]! > ids[b]!);
    case "rating":
      return (a, b) => {
        const x = d.rating[a]!;
        const y = d.rating[b]!;
        if (x !== y) return x > y;
        if (ratingCount[a] !== ratingCount[b]) return ratingCount[a]! > ratingCount[b]!;
        return ids[a]! > ids[b]!;
      };
    case "relevance":
      if (scores) return (a, b) => scores[a]! > scores[b]! || (scores[a] === scores[b] && ids[a]! > ids[b]!);
      return (a, b) => created[a]! > created[b]! || (created[a] === created[b] && ids[a]! > ids[b]!);
    default:
      return (a, b) => created[a]! > created[b]! || (created[a] === created[b] && ids[a]! > ids[b]!);
  }
}

/**
 * The first `k` matches in `before` order, sorted: a bounded heap whose root
 * is the worst kept slot, so each further match costs one comparison unless
 * it beats the root. O(n log k), no full sort of a broad match set.
 */
export function topK(matches: Int32Array, k: number, before: Before, newestFirst = true): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  const up = (i: number) => {
    const x = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[p]!, x)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = x;
  };
  const down = (i: number) => {
    const x = heap[i]!;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && before(heap[l]!, heap[r]!) ? r : l;
      if (!before(x, heap[m]!)) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = x;
  };
  // Slots grow with ids, so walking from the end meets id-descending winners first
  // and later slots rarely beat the root (one comparison each).
  const n = matches.length;
  for (let j = 0; j < n; j++) {
    const s = matches[newestFirst ? n - 1 - j : j]!;
    if (heap.length < k) {
      heap.push(s);
      up(heap.length - 1);
    } else if (before(s, heap[0]!)) {
      heap[0] = s;
      down(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}

/** Counts every facet over the matches in one pass of the columns. */
export function countFacets(store: IndexStore, matches: Int32Array): Facets {
  const d = store.docs;
  const cats = new Int32Array(store.categories.size);
  const brands = new Int32Array(d.brandNames.length);
  const buckets = new Int32Array(PRICE_EDGES.length);
  const ratings = new Int32Array(RATING_MINS.length);
  // Counts per rating level (how many thresholds reached), summed into "at least" afterwards.
  const levels = new Int32Array(RATING_MINS.length + 1);
  const { category, brand, bucket, ratingLevel } = d;
  for (let i = 0; i < matches.length; i++) {
    const s = matches[i]!;
    const c = category[s]!;
    if (c >= 0) cats[c]!++;
    brands[brand[s]!]!++;
    const b = bucket[s]!;
    if (b !== 255) buckets[b]!++;
    levels[ratingLevel[s]!]!++;
  }
  // Level L reaches the L lowest thresholds; RATING_MINS runs 4, 3, 2, 1, so index m needs L >= length - m.
  for (let m = 0; m < RATING_MINS.length; m++)
    for (let l = RATING_MINS.length - m; l <= RATING_MINS.length; l++) ratings[m] = ratings[m]! + levels[l]!;
  const brandFacets: { value: string; count: number }[] = [];
  for (let b = 0; b < brands.length; b++) {
    if (brands[b] && d.brandNames[b] !== "") brandFacets.push({ value: d.brandNames[b]!, count: brands[b]! });
  }
  brandFacets.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return {
    categories: store.categories.rollUp(cats),
    brands: brandFacets.slice(0, MAX_BRAND_FACETS),
    price: PRICE_BUCKETS.map((bucket, i) => ({ ...bucket, count: buckets[i]! })).filter((b) => b.count > 0),
    rating: RATING_MINS.map((min, i) => ({ min, count: ratings[i]! })).filter((r) => r.count > 0),
  };
}
