import type { ProductContent } from "../catalog/content.ts";
import { tokens } from "../recommend/vectors.ts";
import { embed, type WordVectors } from "./word-vectors.ts";

/** Product vectors: row i of `matrix` is product `ids[i]` (slug `slugs[i]`). */
export interface ProductVectors {
  ids: number[];
  slugs: string[];
  matrix: Float32Array;
}

/**
 * A product's meaning as the mean word vector of its title (2×), category
 * name and variant titles (1×) and the first 40 description words (0.5×).
 * Brand names are left out: they are rarely English words and would pull
 * unrelated products of one brand together.
 */
export function productVector(v: WordVectors, p: ProductContent): Float32Array | null {
  const words: string[] = [];
  const weights: number[] = [];
  const add = (ts: string[], w: number) => {
    for (const t of ts) {
      words.push(t);
      weights.push(w);
    }
  };
  add(tokens(p.title), 2);
  add(tokens(p.category), 1);
  add(p.variantTitles.flatMap(tokens), 1);
  add(tokens(p.description).slice(0, 40), 0.5);
  return embed(v, words, weights);
}

/** Builds the vectors of `products` (those without a known word are left out). */
export function buildProductVectors(v: WordVectors, products: ProductContent[]): ProductVectors {
  const ids: number[] = [];
  const slugs: string[] = [];
  const rows: Float32Array[] = [];
  for (const p of products) {
    const vec = productVector(v, p);
    if (!vec) continue;
    ids.push(p.id);
    slugs.push(p.slug);
    rows.push(vec);
  }
  const matrix = new Float32Array(rows.length * v.dimensions);
  for (const [i, r] of rows.entries()) matrix.set(r, i * v.dimensions);
  return { ids, slugs, matrix };
}

/** The `k` products nearest to `query` by cosine (brute force: 100k × 100 floats is a few ms). */
export function nearest(
  index: ProductVectors,
  query: Float32Array,
  k: number,
): { id: number; slug: string; score: number }[] {
  const dims = query.length;
  const best: { id: number; slug: string; score: number }[] = [];
  for (let i = 0; i < index.ids.length; i++) {
    let dot = 0;
    const base = i * dims;
    for (let d = 0; d < dims; d++) dot += query[d]! * index.matrix[base + d]!;
    if (best.length < k || dot > best[best.length - 1]!.score) {
      best.push({ id: index.ids[i]!, slug: index.slugs[i]!, score: dot });
      best.sort((a, b) => b.score - a.score);
      if (best.length > k) best.pop();
    }
  }
  return best;
}
