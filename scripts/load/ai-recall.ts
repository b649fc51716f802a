/**
 * The nearest-neighbour index measured on a real catalog (part of
 * scripts/load/ai.ts): the product vectors built exactly as the app builds
 * them, then for each benchmark query the index's top 50 against brute force
 * (recall@50) and the time per query of both, in this process.
 */
import type postgres from "postgres";
import type { Sql } from "../../db/client.ts";
import { activeProductIds, type ProductContent, productContents } from "../../server/catalog/content.ts";
import { tokens } from "../../server/recommend/vectors.ts";
import { searchIvf } from "../../server/semantic/ann.ts";
import { bruteForce, recallAt, rescore } from "../../server/semantic/exact.ts";
import { buildProductVectors } from "../../server/semantic/index.ts";
import { embed, loadWordVectors } from "../../server/semantic/word-vectors.ts";

/** Recall and cost of the index on one catalog. */
export interface RecallReport {
  products: number;
  cells: number;
  probes: number;
  queries: number;
  recall_at_50: number;
  worst_recall_at_50: number;
  ivf_ms_per_query: number;
  brute_ms_per_query: number;
  vectors_build_ms: number;
}

/** Measures the index on the catalog of `sql` for `queries` (those without a known word are skipped). */
export async function measureRecall(sql: postgres.Sql, queries: string[]): Promise<RecallReport> {
  const words = await loadWordVectors(100_000);
  const contents: ProductContent[] = [];
  let after = 0;
  // The catalog functions take the app's Sql type; a plain postgres.js client is one.
  const db = sql as unknown as Sql;
  for (;;) {
    const ids = await activeProductIds(db, after, 2000);
    if (!ids.length) break;
    contents.push(...(await productContents(db, ids)));
    after = ids.at(-1)!;
  }
  const t0 = performance.now();
  // Brute force runs over the float vectors (the index keeps int16 copies), in their original order.
  let matrix: Float32Array = new Float32Array(0);
  const pv = await buildProductVectors(words, contents, (m) => {
    matrix = m;
  });
  const buildMs = performance.now() - t0;
  const dims = words.dimensions;
  const vectors = queries.map((q) => embed(words, tokens(q))).filter((v): v is Float32Array => v !== null);
  let t = performance.now();
  const exact = vectors.map((v) => bruteForce(matrix, dims, v, 50));
  const bruteMs = (performance.now() - t) / Math.max(1, vectors.length);
  t = performance.now();
  const found = vectors.map((v) => searchIvf(pv.ann, v, 50));
  const ivfMs = (performance.now() - t) / Math.max(1, vectors.length);
  // Judged on the exact scores of what the index returned (its own are the int16 approximations).
  const recalls = found.map((f, i) => recallAt(rescore(matrix, dims, vectors[i]!, f), exact[i]!));
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    products: pv.ids.length,
    cells: pv.ann.cells,
    probes: pv.ann.probes,
    queries: vectors.length,
    recall_at_50:
      Math.round((1000 * recalls.reduce((a, b) => a + b, 0)) / Math.max(1, recalls.length)) / 1000,
    worst_recall_at_50: Math.min(...recalls),
    ivf_ms_per_query: r2(ivfMs),
    brute_ms_per_query: r2(bruteMs),
    vectors_build_ms: Math.round(buildMs),
  };
}
