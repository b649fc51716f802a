import type { Hit } from "./ann.ts";
import { dot } from "./kmeans.ts";
import { TopK } from "./top-k.ts";

/** Exact top `k` over every row of `matrix` (the reference the index is measured against). */
export function bruteForce(matrix: Float32Array, dims: number, query: Float32Array, k: number): Hit[] {
  const top = new TopK(k);
  const n = Math.floor(matrix.length / dims);
  for (let i = 0; i < n; i++) {
    const s = dot(query, 0, matrix, i * dims, dims);
    if (s > top.floor()) top.offer(i, s);
  }
  return top.sorted();
}

/**
 * `hits` with their exact scores against the float rows of `matrix` (the
 * index scores quantised vectors): what recall is measured on, so a true
 * neighbour is not miscounted for a rounding error.
 */
export function rescore(matrix: Float32Array, dims: number, query: Float32Array, hits: Hit[]): Hit[] {
  return hits.map((h) => ({ row: h.row, score: dot(query, 0, matrix, h.row * dims, dims) }));
}

/**
 * Recall of `found` against the exact top-k `exact`: the share of `found`
 * scoring at least the exact k-th score (ties at the boundary count, so a
 * catalog of near-duplicates is not penalised for picking an equal twin).
 */
export function recallAt(found: Hit[], exact: Hit[], epsilon = 1e-6): number {
  if (!exact.length) return 1;
  const floor = exact.at(-1)!.score - epsilon;
  return Math.min(1, found.filter((h) => h.score >= floor).length / exact.length);
}
