import type { ProductContent } from "../catalog/content.ts";

/** A sparse, L2-normalised term vector. */
export type SparseVector = Map<string, number>;

const STOP = new Set(
  "a an and are as at be by for from has in is it its of on or the to with your you our this that these those".split(
    " ",
  ),
);

/** Lower-case word tokens of 2+ letters/digits, stop words dropped. */
export function tokens(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .match(/[a-z0-9]{2,}/g) ?? []
  ).filter((t) => !STOP.has(t));
}

/**
 * The weighted terms of a product: title words count 3×, brand and category
 * are their own features (`brand:…`, `cat:…`, weighted 2× and 2×), variant
 * titles (sizes, colours: the attributes) 1×, description words 0.5×.
 */
export function productTerms(p: ProductContent): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (t: string, w: number) => terms.set(t, (terms.get(t) ?? 0) + w);
  for (const t of tokens(p.title)) add(t, 3);
  if (p.brand) add(`brand:${p.brand.toLowerCase()}`, 2);
  add(`cat:${p.categoryId}`, 2);
  for (const t of tokens(p.category)) add(t, 1);
  for (const v of p.variantTitles) for (const t of tokens(v)) add(t, 1);
  for (const t of tokens(p.description)) add(t, 0.5);
  return terms;
}

/** Document frequencies of terms over a set of products. */
export function documentFrequencies(docs: Map<string, number>[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/** TF-IDF (log-scaled tf, smoothed idf over `n` documents), L2-normalised. */
export function tfidf(terms: Map<string, number>, df: Map<string, number>, n: number): SparseVector {
  const v: SparseVector = new Map();
  let norm = 0;
  for (const [t, tf] of terms) {
    const w = (1 + Math.log(tf + 1)) * Math.log((n + 1) / ((df.get(t) ?? 0) + 1) + 1);
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

/** Cosine of two normalised sparse vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const o = large.get(t);
    if (o !== undefined) dot += w * o;
  }
  return dot;
}

/**
 * The `k` products of `candidates` most similar to `product` (cosine of TF-IDF
 * vectors, idf over the product and its candidates), best first, score > 0.
 */
export function mostSimilar(
  product: ProductContent,
  candidates: ProductContent[],
  k: number,
): { id: number; score: number }[] {
  const docs = [product, ...candidates].map(productTerms);
  const df = documentFrequencies(docs);
  const vectors = docs.map((d) => tfidf(d, df, docs.length));
  const self = vectors[0]!;
  return candidates
    .map((c, i) => ({ id: c.id, score: cosine(self, vectors[i + 1]!) }))
    .filter((s) => s.score > 0)
    .sort((x, y) => y.score - x.score || x.id - y.id)
    .slice(0, k);
}
