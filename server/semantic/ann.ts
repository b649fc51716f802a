/**
 * Approximate nearest neighbours over L2-normalised vectors (cosine = dot
 * product): an inverted-file index (IVF). Spherical k-means on a sample puts
 * the vectors into cells; a query compares itself with the cell centroids and
 * scans only the vectors of its `probes` nearest cells. At 100k × 100
 * dimensions brute force is 10M multiply-adds per query; 253 cells and 32
 * probes scan ~13 % of that (measured on the seeded 100k catalog: 8 ms →
 * 0.2 ms a query, recall@50 ~97 %, docs/ai.md). The rows are stored rotated
 * so that most of their energy sits in their first components (rotation.ts);
 * the scan reads those for every row and the rest only for rows that may
 * still enter the top k, and its dot products run in a WebAssembly SIMD
 * kernel over 16-bit rows (dot-kernel.ts). Small sets
 * (below `EXACT_BELOW`) get one cell: their search is exact. The build
 * yields to the event loop between chunks, so an app instance keeps
 * answering while it (re)builds.
 */

import { createRowStore, type RowStore } from "./dot-kernel.ts";
import { dot, kmeans, nearestCentroid, pause, random, YIELD_ROWS } from "./kmeans.ts";
import { quantiseRow } from "./quantise.ts";
import { energyRotation, rotate } from "./rotation.ts";
import { TopK } from "./top-k.ts";

/** A built index: rows regrouped cell by cell. */
export interface IvfIndex {
  dims: number;
  /** Number of cells (1 = exact search). */
  cells: number;
  /** cells × dims, L2-normalised centroids (in the original axes). */
  centroids: Float32Array;
  /** Cell c holds positions offsets[c] .. offsets[c + 1] - 1 of `store`/`rows`. */
  offsets: Int32Array;
  /**
   * The vectors in cell order, rotated (see `rotation`) and quantised to 16
   * bits: component d of position `at` is about `store.component(at, d) ·
   * store.scales[at]` (half the floats' bytes). 8 bits were tried: on the seeded
   * catalog the 50th and 60th neighbours' cosines differ by ~0.003 on
   * average, and int8 rounding (~1e-3 a dot product) cost 3.6 points of
   * recall@50 even scanning every cell; 16 bits cost none.
   */
  store: RowStore;
  /** The largest length of a stored integer row (bounds the scan's sums: see `scanQuery`). */
  maxRowLength: number;
  /**
   * The rows are stored rotated by this (dims × dims, rotation.ts): most of
   * their energy in the head. Dot products are kept.
   */
  rotation: Float32Array;
  /** Original row of each position. */
  rows: Int32Array;
  /** Cells scanned per query. */
  probes: number;
}

/** One hit: a row of the matrix the index was built from, and its dot product with the query. */
export interface Hit {
  row: number;
  score: number;
}

/** How the index is built. */
export interface IvfOptions {
  /** Cells; default 0.8·√n (16..1024), 1 below EXACT_BELOW rows. */
  cells?: number;
  /** Cells scanned per query; default max(8, cells / 8). */
  probes?: number;
  /** k-means iterations on the sample. */
  iterations?: number;
  /** Training sample size; default 40 per cell, at least 2000 (the rotation is estimated on it too). */
  sample?: number;
  /** Seed of the sampling (deterministic builds). */
  seed?: number;
  /**
   * Rotated components read for every scanned row (a multiple of 8); the
   * rest only when the row may still enter the top k. Default 56: on the
   * 100k catalog 97.7 % of the energy, ~10 % of the scanned rows' tails
   * read, 0.16 ms a query (head 40: 28 % and 0.19 ms; 24: 66 % and 0.22;
   * every row whole: 0.19).
   */
  head?: number;
  /** Scan with the JavaScript routines instead of the SIMD kernel (tests compare the two). */
  js?: boolean;
}

/** Below this many rows the index is one cell (exact): brute force is cheap there. */
export const EXACT_BELOW = 4096;

/**
 * `query` (already rotated) rounded to 16-bit integers, with its scale: what
 * the scan multiplies. A row's integer dot product is at most
 * |q_int|·|v_int| (Cauchy–Schwarz), so the query is scaled to keep that
 * product under 2³¹ for the longest stored row (the kernel's lanes wrap at
 * 32 bits and only the final sum must fit) and every component within
 * ±32767. On the catalog that leaves it ~10⁴ levels (rounding ~1e-8); rows
 * with every component alike are the longest and leave ~600 (~1e-4).
 */
export function scanQuery(index: IvfIndex, query: Float32Array): { q: Int16Array; scale: number } {
  const dims = index.dims;
  let norm = 0;
  let max = 0;
  for (let d = 0; d < dims; d++) {
    norm += query[d]! ** 2;
    max = Math.max(max, Math.abs(query[d]!));
  }
  norm = Math.sqrt(norm) || 1;
  const rowBound = index.maxRowLength;
  let scale = Math.max((norm * rowBound) / (0.9 * 2 ** 31), max / 32767) || 1;
  const q = new Int16Array(dims);
  for (; ; scale *= 2) {
    let qNorm = 0;
    for (let d = 0; d < dims; d++) {
      q[d] = Math.round(query[d]! / scale);
      qNorm += q[d]! ** 2;
    }
    if (Math.sqrt(qNorm) * rowBound < 2 ** 31 - 1) return { q, scale };
  }
}

/** The default number of cells for `n` rows. */
function defaultCells(n: number): number {
  return n < EXACT_BELOW ? 1 : Math.max(16, Math.min(1024, Math.round(0.8 * Math.sqrt(n))));
}

/** Builds the index over the `n` rows of `matrix` (n × dims, rows L2-normalised). */
export async function buildIvf(matrix: Float32Array, dims: number, opts: IvfOptions = {}): Promise<IvfIndex> {
  const n = Math.floor(matrix.length / dims);
  const cells = Math.max(1, Math.min(n, opts.cells ?? defaultCells(n)));
  const probes = cells === 1 ? 1 : Math.min(cells, opts.probes ?? Math.max(8, Math.round(cells / 8)));
  const rnd = random(opts.seed ?? 1);
  const want = Math.min(n, opts.sample ?? Math.max(cells * 40, 2000));
  const sample: number[] = [];
  // Every (n / want)-th row from a random start: an even spread over the catalog.
  const step = n / Math.max(1, want);
  const start = rnd() * step;
  for (let i = 0; i < want; i++) sample.push(Math.min(n - 1, Math.floor(start + i * step)));
  const rotation = energyRotation(matrix, sample, dims);
  const cellOf = new Int32Array(n);
  let centroids: Float32Array = new Float32Array(dims);
  if (cells > 1) {
    centroids = await kmeans(matrix, sample, cells, dims, opts.iterations ?? 6, rnd);
    for (let i = 0; i < n; i++) {
      if (i % YIELD_ROWS === 0) await pause();
      cellOf[i] = nearestCentroid(matrix, i * dims, centroids, cells, dims);
    }
  }
  const offsets = new Int32Array(cells + 1);
  for (let i = 0; i < n; i++) offsets[cellOf[i]! + 1]!++;
  let largest = 0;
  for (let c = 0; c < cells; c++) {
    largest = Math.max(largest, offsets[c + 1]!);
    offsets[c + 1]! += offsets[c]!;
  }
  const store = createRowStore({ rows: n, dims, head: opts.head ?? 56, maxRun: largest, js: opts.js });
  const next = offsets.slice(0, cells);
  // Per position: the vector's largest |component| / 32767, and the length of its tail past the head.
  const { scales, tails } = store;
  const rows = new Int32Array(n);
  const rotated = new Float32Array(dims);
  const row = new Int16Array(dims);
  let maxRowLength = 1;
  for (let i = 0; i < n; i++) {
    if (i % YIELD_ROWS === 0) await pause();
    const at = next[cellOf[i]!]!++;
    rows[at] = i;
    rotate(rotation, matrix, i * dims, rotated, dims);
    const scale = quantiseRow(rotated, 0, row, 0, dims);
    store.setRow(at, row);
    scales[at] = scale;
    let all = 0;
    let tail = 0;
    for (let d = 0; d < dims; d++) {
      all += row[d]! * row[d]!;
      if (d >= store.head) tail += (row[d]! * scale) ** 2;
    }
    maxRowLength = Math.max(maxRowLength, Math.sqrt(all));
    // A hair above the length, so float rounding never makes the bound drop a row that would enter.
    tails[at] = Math.sqrt(tail) * (1 + 1e-6) + 1e-7;
  }
  return { dims, cells, centroids, offsets, store, maxRowLength, rotation, rows, probes };
}

/** The `probes` cells whose centroids are nearest to `query`, nearest first. */
export function nearestCells(index: IvfIndex, query: Float32Array, probes = index.probes): number[] {
  if (index.cells === 1) return [0];
  const top = new TopK(Math.min(probes, index.cells));
  for (let c = 0; c < index.cells; c++)
    top.offer(c, dot(query, 0, index.centroids, c * index.dims, index.dims));
  return top.sorted().map((h) => h.row);
}

/**
 * The `k` best rows of the given cells by dot product with `query`, best
 * first; scores are those of the quantised vectors (within ~1e-5 of the
 * exact). Every row's head is read; its tail only when the head's score plus
 * the most the tail can add (|q_tail|·|v_tail|, Cauchy–Schwarz) passes the
 * current k-th best: the same answer as reading every row whole.
 */
export function searchCells(index: IvfIndex, query: Float32Array, k: number, cells: number[]): Hit[] {
  const { offsets, rows, store, dims } = index;
  const top = new TopK(k);
  const rotated = new Float32Array(dims);
  rotate(index.rotation, query, 0, rotated, dims);
  const { q, scale: qScale } = scanQuery(index, rotated);
  store.setQuery(q);
  let qTail = 0;
  for (let d = store.head; d < dims; d++) qTail += (q[d]! * qScale) ** 2;
  qTail = Math.sqrt(qTail) * (1 + 1e-6);
  const { picked, pickedSums, scales } = store;
  let floor = top.floor();
  for (const c of cells) {
    // The rows whose tails may still lift them past the k-th best, then those tails in one gather.
    const n = store.pick(offsets[c]!, offsets[c + 1]! - offsets[c]!, qScale, qTail, floor);
    const rest = store.tailDots(n);
    for (let j = 0; j < n; j++) {
      const at = picked[j]!;
      const s = (pickedSums[j]! + rest[j]!) * (scales[at]! * qScale);
      if (s > floor) {
        top.offer(rows[at]!, s);
        floor = top.floor();
      }
    }
  }
  return top.sorted();
}

/** Approximate top `k` (exact when the index has one cell, or `probes` covers every cell). */
export function searchIvf(index: IvfIndex, query: Float32Array, k: number, probes = index.probes): Hit[] {
  return searchCells(index, query, k, nearestCells(index, query, probes));
}
