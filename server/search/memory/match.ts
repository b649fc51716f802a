import type { SearchFilters } from "../types.ts";
import type { IndexStore } from "./store.ts";
import type { QueryNode } from "./tsquery.ts";

/** A set of terms that all satisfy one query leaf, with a score factor (1 exact, below 1 for typo guesses). */
export interface WeightedTerms {
  terms: number[];
  factor: number;
}

function intersect(store: IndexStore, a: Int32Array, b: Int32Array): Int32Array {
  const out = store.take(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}

/**
 * The slots in any of these terms' postings, ascending and without
 * duplicates: one term is its postings as they are; several are marked in
 * the shared buffer and collected in one pass.
 */
export function unionOfTerms(store: IndexStore, terms: number[]): Int32Array {
  if (terms.length === 0) return new Int32Array(0);
  if (terms.length === 1) return store.postings.postings(terms[0]!).slots;
  const marks = store.markBuffer();
  let count = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = -1;
  for (const t of terms) {
    const { slots } = store.postings.postings(t);
    for (let k = 0; k < slots.length; k++) {
      const s = slots[k]!;
      if (!marks[s]) {
        marks[s] = 1;
        count++;
        if (s < lo) lo = s;
        if (s > hi) hi = s;
      }
    }
  }
  const out = store.take(count);
  let n = 0;
  for (let s = lo; s <= hi && n < count; s++) {
    if (marks[s]) {
      out[n++] = s;
      marks[s] = 0;
    }
  }
  return out;
}

/** Evaluates AND/OR over leaves, each leaf resolved to its term ids by `resolve`. */
export function evaluate(
  store: IndexStore,
  node: QueryNode,
  resolve: (leaf: { word: string; prefix: boolean }) => number[],
): Int32Array {
  if (node.op === "term") return unionOfTerms(store, resolve(node));
  const parts = node.kids.map((k) => evaluate(store, k, resolve));
  if (node.op === "and") {
    parts.sort((a, b) => a.length - b.length);
    let acc = parts[0]!;
    for (let i = 1; i < parts.length && acc.length; i++) acc = intersect(store, acc, parts[i]!);
    return acc;
  }
  // OR: union through the mark buffer.
  const marks = store.markBuffer();
  let count = 0;
  let hi = -1;
  for (const p of parts) {
    for (let k = 0; k < p.length; k++) {
      const s = p[k]!;
      if (!marks[s]) {
        marks[s] = 1;
        count++;
        if (s > hi) hi = s;
      }
    }
  }
  const out = store.take(count);
  let n = 0;
  for (let s = 0; s <= hi && n < count; s++) {
    if (marks[s]) {
      out[n++] = s;
      marks[s] = 0;
    }
  }
  return out;
}

/**
 * Keeps the candidates that are live and pass the filters (`null`
 * candidates: every slot), written into the index's shared match buffer, with the product list's semantics: category
 * includes descendants, prices bound the lowest price, unrated products
 * never reach a `min_rating`. One loop over typed columns.
 */
export function applyFilters(store: IndexStore, candidates: Int32Array | null, f: SearchFilters): Int32Array {
  const d = store.docs;
  const mask = f.category !== undefined ? store.categories.subtree(f.category) : undefined;
  const brand = f.brand !== undefined ? d.brandOf(f.brand) : -2;
  if (mask === null || brand === -1) return new Int32Array(0);
  const min = f.min_price ?? Number.NEGATIVE_INFINITY;
  const max = f.max_price ?? Number.POSITIVE_INFINITY;
  const stock = f.in_stock === undefined ? -1 : f.in_stock ? 1 : 0;
  const minRating = f.min_rating ?? Number.NEGATIVE_INFINITY;
  const { live, category, price, inStock, rating } = d;
  const brands = d.brand;
  const n = candidates ? candidates.length : d.size;
  // A view of the shared buffer: valid until the next query (see IndexStore.matchBuffer).
  const out = store.matchBuffer();
  let k = 0;
  for (let i = 0; i < n; i++) {
    const s = candidates ? candidates[i]! : i;
    if (live[s] !== 1) continue;
    if (mask !== undefined) {
      const c = category[s]!;
      if (c < 0 || mask[c] !== 1) continue;
    }
    if (brand !== -2 && brands[s] !== brand) continue;
    const p = price[s]!;
    if (p < min || p > max) continue;
    if (stock !== -1 && inStock[s] !== stock) continue;
    if (rating[s]! < minRating) continue;
    out[k++] = s;
  }
  return out.subarray(0, k);
}

/** Title matches weigh most, then brand, then description (tsvector weights A, B, C, D). */
const WEIGHT_BOOST = [0.5, 1, 2, 3.5];

/**
 * BM25-like relevance of the matches, written into the shared score buffer
 * (the caller reads then clears it with `clearScores`): per leaf, the best
 * of its terms' idf × field boost × saturated term frequency.
 */
export function scoreMatches(store: IndexStore, matches: Int32Array, leaves: WeightedTerms[]): Float32Array {
  const scores = store.scoreBuffer();
  const marks = store.markBuffer();
  for (let i = 0; i < matches.length; i++) marks[matches[i]!] = 1;
  const n = Math.max(1, store.docs.alive);
  for (const leaf of leaves) {
    for (const t of leaf.terms) {
      const df = store.postings.docFreq(t);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * leaf.factor;
      const { slots, infos } = store.postings.postings(t);
      for (let k = 0; k < slots.length; k++) {
        const s = slots[k]!;
        if (!marks[s]) continue;
        const info = infos[k]!;
        const tf = info >> 2;
        scores[s] = scores[s]! + idf * WEIGHT_BOOST[info & 3]! * ((tf * 2.2) / (tf + 1.2));
      }
    }
  }
  for (let i = 0; i < matches.length; i++) marks[matches[i]!] = 0;
  return scores;
}

/** Zeroes the score buffer where these matches wrote. */
export function clearScores(store: IndexStore, matches: Int32Array): void {
  const scores = store.scoreBuffer();
  for (let i = 0; i < matches.length; i++) scores[matches[i]!] = 0;
}
