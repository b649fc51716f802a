import type { SearchFilters } from "../types.ts";
import type { SlotBits } from "./orders.ts";
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
 * The union of ascending slot lists, ascending and without duplicates. One
 * list is returned as it is, two are merged; more are set in the shared bit
 * buffer and read back a 32-bit word at a time, so the cost follows the
 * postings and the words they touch, not the whole slot range.
 */
export function unionOfLists(store: IndexStore, lists: Int32Array[]): Int32Array {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return new Int32Array(0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  let total = 0;
  for (const l of nonEmpty) total += l.length;
  const out = store.take(total);
  if (nonEmpty.length === 2) return out.subarray(0, mergeTwo(nonEmpty[0]!, nonEmpty[1]!, out));
  const bits = store.bitBuffer();
  const range = store.wordRange();
  for (const l of nonEmpty) {
    for (let k = 0; k < l.length; k++) {
      const s = l[k]!;
      bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
    }
    const first = l[0]! >>> 5;
    const last = l[l.length - 1]! >>> 5;
    if (first < range[0]!) range[0] = first;
    if (last > range[1]!) range[1] = last;
  }
  return readBits(bits, range, out);
}

function mergeTwo(a: Int32Array, b: Int32Array, out: Int32Array): number {
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
    } else if (x < y) {
      out[n++] = x;
      i++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return n;
}

/**
 * The slots in any of these terms' postings, ascending and without
 * duplicates: one term as its slots, two lists merged, more set in the
 * shared bit buffer (a bit-set term a word at a time) and read back a word
 * at a time.
 */
export function unionOfTerms(store: IndexStore, terms: number[]): Int32Array {
  const p = store.postings;
  const unique = (terms.length > 1 ? [...new Set(terms)] : terms).filter((t) => t >= 0 && p.docFreq(t) > 0);
  if (unique.length === 0) return new Int32Array(0);
  if (unique.length === 1) return p.slotsOf(unique[0]!, store.take);
  // Two lists: one merge (as cheap as setting their bits, and no read-back of the words between).
  if (unique.length === 2 && !p.isBitSet(unique[0]!) && !p.isBitSet(unique[1]!))
    return unionOfLists(store, [p.slotsOf(unique[0]!, store.take), p.slotsOf(unique[1]!, store.take)]);
  const bits = store.bitBuffer();
  const range = store.wordRange();
  let total = 0;
  for (const t of unique) {
    p.setBits(t, bits, range);
    total += p.docFreq(t);
  }
  return readBits(bits, range, store.take(total));
}

/** Reads and clears the set bits of `bits` in the words `range` covers, ascending, into `out`. */
function readBits(bits: Uint32Array, range: Int32Array, out: Int32Array): Int32Array {
  let n = 0;
  for (let w = range[0]!; w <= range[1]!; w++) {
    let v = bits[w]!;
    if (v === 0) continue;
    bits[w] = 0;
    const base = w << 5;
    while (v !== 0) {
      const low = v & -v;
      out[n++] = base + 31 - Math.clz32(low);
      v ^= low;
    }
  }
  return out.subarray(0, n);
}

type Resolve = (leaf: { word: string; prefix: boolean }) => number[];

/**
 * A node's meaning as text: a leaf is its distinct terms, an AND or OR its
 * operator over its kids' distinct meanings, sorted. Two nodes with one
 * meaning match the same slots (`'black' & 'steel' | 'black' & 'steel':*`
 * where `steel:*` is only `steel`), so they are evaluated once.
 */
function meaning(node: QueryNode, resolve: Resolve, out: Map<QueryNode, string>): string {
  let m: string;
  if (node.op === "term") m = [...new Set(resolve(node))].sort((a, b) => a - b).join(",");
  else {
    const kids = [...new Set(node.kids.map((k) => meaning(k, resolve, out)))].sort();
    m = kids.length === 1 ? kids[0]! : `${node.op}(${kids.join(";")})`;
  }
  out.set(node, m);
  return m;
}

/** Evaluates AND/OR over leaves, each leaf resolved to its term ids by `resolve`. */
export function evaluate(store: IndexStore, node: QueryNode, resolve: Resolve): Int32Array {
  const meanings = new Map<QueryNode, string>();
  meaning(node, resolve, meanings);
  return evaluateOnce(store, node, resolve, meanings, new Map());
}

function evaluateOnce(
  store: IndexStore,
  node: QueryNode,
  resolve: Resolve,
  meanings: Map<QueryNode, string>,
  done: Map<string, Int32Array>,
): Int32Array {
  const key = meanings.get(node)!;
  const known = done.get(key);
  if (known) return known;
  let result: Int32Array;
  if (node.op === "term") result = unionOfTerms(store, resolve(node));
  // An OR of plain words (`'black' | 'black':*`): one union of their terms, each term once.
  else if (node.op === "or" && node.kids.every((k) => k.op === "term"))
    result = unionOfTerms(
      store,
      node.kids.flatMap((k) => resolve(k as { word: string; prefix: boolean })),
    );
  else {
    // Kids of one meaning are one part.
    const unique = new Map<string, QueryNode>();
    for (const k of node.kids) unique.set(meanings.get(k)!, k);
    if (node.op === "and") result = intersectKids(store, [...unique.values()], resolve, meanings, done);
    else
      result = unionOfLists(
        store,
        [...unique.values()].map((k) => evaluateOnce(store, k, resolve, meanings, done)),
      );
  }
  done.set(key, result);
  return result;
}

/**
 * The AND of kids: the smallest part decoded (or evaluated), then each
 * kid that is one term filters what is left in place (`keepWith`: a bit
 * test a slot for a frequent term, a merge for the others), smallest
 * first; other kids are evaluated and merged.
 */
function intersectKids(
  store: IndexStore,
  kids: QueryNode[],
  resolve: Resolve,
  meanings: Map<QueryNode, string>,
  done: Map<string, Int32Array>,
): Int32Array {
  const p = store.postings;
  const single: number[] = [];
  const parts: Int32Array[] = [];
  for (const k of kids) {
    const terms = k.op === "term" ? [...new Set(resolve(k))] : [];
    if (terms.length === 1) single.push(terms[0]!);
    else parts.push(evaluateOnce(store, k, resolve, meanings, done));
  }
  single.sort((a, b) => p.docFreq(a) - p.docFreq(b));
  parts.sort((a, b) => a.length - b.length);
  if (single.length && (!parts.length || p.docFreq(single[0]!) < parts[0]!.length))
    parts.unshift(p.slotsOf(single.shift()!, store.take));
  let acc = parts[0]!;
  for (let i = 1; i < parts.length && acc.length; i++) acc = intersect(store, acc, parts[i]!);
  for (const t of single) {
    if (!acc.length) break;
    const out = store.take(acc.length);
    acc = out.subarray(0, p.keepWith(t, acc, out));
  }
  return acc;
}

/**
 * Keeps the candidates that are live and pass the filters (`null`
 * candidates: every slot), written into the index's shared match buffer
 * (ascending), with the product list's semantics: category includes
 * descendants, prices bound the lowest price, unrated products never reach a
 * `min_rating`.
 *
 * Category, brand and stock are kept bit sets of live slots (`SlotOrders`),
 * ANDed here; candidates are then tested against one bit set, and without
 * candidates only the words with set bits are visited. Price and rating are
 * tested per slot that survived those.
 */
export function applyFilters(store: IndexStore, candidates: Int32Array | null, f: SearchFilters): Int32Array {
  const d = store.docs;
  const orders = store.orders;
  const sets: SlotBits[] = [];
  if (f.category !== undefined) {
    const mask = store.categories.subtree(f.category);
    if (mask === null) return new Int32Array(0);
    sets.push(orders.subtreeBits(f.category, mask));
  }
  if (f.brand !== undefined) {
    const brand = d.brandOf(f.brand);
    if (brand === -1) return new Int32Array(0);
    sets.push(orders.brandBits(brand));
  }
  if (f.in_stock !== undefined) sets.push(orders.stockBits(f.in_stock ? 1 : 0));
  const min = f.min_price ?? Number.NEGATIVE_INFINITY;
  const max = f.max_price ?? Number.POSITIVE_INFINITY;
  const minRating = f.min_rating ?? Number.NEGATIVE_INFINITY;
  const perSlot = f.min_price !== undefined || f.max_price !== undefined || f.min_rating !== undefined;
  if (candidates === null && sets.length === 0 && !perSlot) return orders.live();
  const { live, price, rating } = d;
  // A view of the shared buffer: valid until the next query (see IndexStore.matchBuffer).
  const out = store.matchBuffer();
  let k = 0;
  const bits = sets.length ? orders.intersect(sets) : null;
  if (candidates !== null) {
    for (let i = 0; i < candidates.length; i++) {
      const s = candidates[i]!;
      if (bits ? (bits[s >>> 5]! & (1 << (s & 31))) === 0 : live[s] !== 1) continue;
      if (perSlot) {
        const p = price[s]!;
        if (p < min || p > max || rating[s]! < minRating) continue;
      }
      out[k++] = s;
    }
  } else if (bits) {
    for (let w = 0; w < bits.length; w++) {
      let v = bits[w]!;
      while (v !== 0) {
        const low = v & -v;
        v ^= low;
        const s = (w << 5) + 31 - Math.clz32(low);
        if (perSlot) {
          const p = price[s]!;
          if (p < min || p > max || rating[s]! < minRating) continue;
        }
        out[k++] = s;
      }
    }
  } else {
    // Price or rating alone: every live slot is a candidate.
    const all = orders.live();
    for (let i = 0; i < all.length; i++) {
      const s = all[i]!;
      const p = price[s]!;
      if (p < min || p > max || rating[s]! < minRating) continue;
      out[k++] = s;
    }
  }
  return out.subarray(0, k);
}

/** Title matches weigh most, then brand, then description (tsvector weights A, B, C, D). */
const WEIGHT_BOOST = [0.5, 1, 2, 3.5];
/** Per info byte (weight, tf): the field boost, and the saturated term frequency `tf * 2.2 / (tf + 1.2)`. */
const BOOST_OF = Float64Array.from({ length: 256 }, (_v, info) => WEIGHT_BOOST[info & 3]!);
const SAT_OF = Float64Array.from({ length: 256 }, (_v, info) => ((info >> 2) * 2.2) / ((info >> 2) + 1.2));

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
      store.postings.addScores(t, idf, BOOST_OF, SAT_OF, marks, scores);
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
