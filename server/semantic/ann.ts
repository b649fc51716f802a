/**
 * Approximate nearest neighbours over L2-normalised vectors (cosine = dot
 * product): an inverted-file index (IVF). Spherical k-means on a sample puts
 * the vectors into cells; a query compares itself with the cell centroids and
 * scans only the vectors of its `probes` nearest cells. At 100k × 100
 * dimensions brute force is 10M multiply-adds per query; 253 cells and 32
 * probes scan ~13 % of that (measured on the seeded 100k catalog: 8 ms →
 * 1 ms a query, recall@50 ~97 %, docs/ai.md). The rows are stored rotated
 * so that most of their energy sits in the first components (rotation.ts);
 * the scan reads 40, then 64, and skips the rest of a row whose best
 * possible score (Cauchy–Schwarz on the tails) cannot enter the top k:
 * the same answer, ~1/3 less time on the 100k catalog. Small sets (below
 * `EXACT_BELOW`) get one cell: their search is exact. The build yields to
 * the event loop between chunks, so an app instance keeps answering while it
 * (re)builds.
 */

import { dot, kmeans, nearestCentroid, pause, random, YIELD_ROWS } from "./kmeans.ts";
import { quantiseRow } from "./quantise.ts";
import { energyRotation, rotate } from "./rotation.ts";
import { TopK } from "./top-k.ts";

/** A built index: rows regrouped cell by cell. */
export interface IvfIndex {
  dims: number;
  /** Number of cells (1 = exact search). */
  cells: number;
  /** cells × dims, L2-normalised centroids. */
  centroids: Float32Array;
  /** Cell c holds positions offsets[c] .. offsets[c + 1] - 1 of `vectors`/`rows`. */
  offsets: Int32Array;
  /**
   * The vectors in cell order, quantised to 16 bits: component d of position
   * `at` is about `vectors[at·dims + d] · scales[at]` (half the floats'
   * bytes; a scan touches half the memory). 8 bits were tried: on the seeded
   * catalog the 50th and 60th neighbours' cosines differ by ~0.003 on
   * average, and int8 rounding (~1e-3 a dot product) cost 3.6 points of
   * recall@50 even scanning every cell; 16 bits cost none.
   */
  vectors: Int16Array;
  /** Per position: the vector's largest |component| / 32767. */
  scales: Float32Array;
  /** The smallest of `scales` (bounds the rows' integer lengths: see `scanQuery`). */
  minScale: number;
  /**
   * The vectors are stored rotated by this (dims × dims, rotation.ts): most
   * of their energy in the first `head` components. Dot products are kept.
   */
  rotation: Float32Array;
  /** A row may be dropped after its first `heads[0]` components, then after `heads[1]` (see `tails`). */
  heads: [number, number];
  /** At 2·position + j: the length of the stored (rotated, quantised) vector past `heads[j]`. */
  tails: Float32Array;
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
   * Rotated components read before each early-drop test; default [40, 64].
   * On the 100k catalog (96 % of the energy in the first 40): 40/64 scanned
   * in 0.63 ms, 40 alone 0.70, 48 0.66, 32 0.80, 12/40 0.84, none 1.0.
   */
  heads?: [number, number];
}

/** Below this many rows the index is one cell (exact): brute force is cheap there. */
export const EXACT_BELOW = 4096;

/**
 * `query` rotated onto the index's axes and rounded to integers, with its
 * scale: what the scan multiplies. Any partial sum of products is at most
 * |q_int|·|v_int| (Cauchy–Schwarz), and |v_int| ≤ 1/minScale + √dims/2 for
 * the index's unit rows, so the query is scaled to keep that product under
 * 2³¹; on the catalog that leaves it ~10⁴ levels (rounding ~1e-8).
 */
export function scanQuery(index: IvfIndex, query: Float32Array): { q: Int32Array; scale: number } {
  const dims = index.dims;
  const rotated = new Float32Array(dims);
  rotate(index.rotation, query, 0, rotated, dims);
  let norm = 0;
  for (let d = 0; d < dims; d++) norm += rotated[d]! ** 2;
  norm = Math.sqrt(norm) || 1;
  const rowBound = 1 / index.minScale + Math.sqrt(dims) / 2;
  const q = new Int32Array(dims);
  for (let budget = 0.9 * 2 ** 31; ; budget /= 2) {
    const scale = (norm * rowBound) / budget;
    let qNorm = 0;
    for (let d = 0; d < dims; d++) {
      q[d] = Math.round(rotated[d]! / scale);
      qNorm += q[d]! ** 2;
    }
    if (Math.sqrt(qNorm) * rowBound < 2 ** 31 - 1) return { q, scale };
  }
}

/**
 * Rotates row `from` of `m`, quantises it into `out` at `to` and returns its
 * scale; `tails[2·(to / dims) + j]` gets the length of the quantised vector past `heads[j]`.
 */
function store(
  m: Float32Array,
  from: number,
  rotation: Float32Array,
  scratch: Float32Array,
  out: Int16Array,
  to: number,
  dims: number,
  heads: [number, number],
  tails: Float32Array,
): number {
  rotate(rotation, m, from, scratch, dims);
  const scale = quantiseRow(scratch, 0, out, to, dims);
  let tail = 0;
  for (let j = 1; j >= 0; j--) {
    for (let d = heads[j]!; d < (j === 1 ? dims : heads[1]); d++) tail += (out[to + d]! * scale) ** 2;
    // A hair above the length, so float rounding never makes the bound drop a row that would enter.
    tails[(2 * to) / dims + j] = Math.sqrt(tail) * (1 + 1e-6) + 1e-7;
  }
  return scale;
}

/** The smallest value of `xs` (1 when empty). */
function minOf(xs: Float32Array): number {
  let m = Number.POSITIVE_INFINITY;
  for (const x of xs) m = Math.min(m, x);
  return Number.isFinite(m) && m > 0 ? m : 1;
}

/** The default number of cells for `n` rows. */
function defaultCells(n: number): number {
  return n < EXACT_BELOW ? 1 : Math.max(16, Math.min(1024, Math.round(0.8 * Math.sqrt(n))));
}

/** Builds the index over the `n` rows of `matrix` (n × dims, rows L2-normalised). */
export async function buildIvf(matrix: Float32Array, dims: number, opts: IvfOptions = {}): Promise<IvfIndex> {
  const n = Math.floor(matrix.length / dims);
  const cells = Math.max(1, Math.min(n, opts.cells ?? defaultCells(n)));
  const probes = Math.min(cells, opts.probes ?? Math.max(8, Math.round(cells / 8)));
  const [h0, h1] = opts.heads ?? [40, 64];
  const heads: [number, number] = [Math.min(dims, h0), Math.min(dims, Math.max(h0, h1))];
  const rnd = random(opts.seed ?? 1);
  const want = Math.min(n, opts.sample ?? Math.max(cells * 40, 2000));
  const sample: number[] = [];
  // Every (n / want)-th row from a random start: an even spread over the catalog.
  const step = n / want;
  const start = rnd() * step;
  for (let i = 0; i < want; i++) sample.push(Math.min(n - 1, Math.floor(start + i * step)));
  const rotation = energyRotation(matrix, sample, dims);
  const scratch = new Float32Array(dims);
  const tails = new Float32Array(2 * n);
  if (cells === 1) {
    const rows = new Int32Array(n);
    const vectors = new Int16Array(n * dims);
    const scales = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      rows[i] = i;
      scales[i] = store(matrix, i * dims, rotation, scratch, vectors, i * dims, dims, heads, tails);
    }
    return {
      dims,
      cells,
      centroids: new Float32Array(dims),
      offsets: Int32Array.from([0, n]),
      vectors,
      scales,
      rotation,
      heads,
      tails,
      minScale: minOf(scales),
      rows,
      probes: 1,
    };
  }
  const centroids = await kmeans(matrix, sample, cells, dims, opts.iterations ?? 6, rnd);
  const cellOf = new Int32Array(n);
  const counts = new Int32Array(cells);
  for (let i = 0; i < n; i++) {
    if (i % YIELD_ROWS === 0) await pause();
    const c = nearestCentroid(matrix, i * dims, centroids, cells, dims);
    cellOf[i] = c;
    counts[c]!++;
  }
  const offsets = new Int32Array(cells + 1);
  for (let c = 0; c < cells; c++) offsets[c + 1] = offsets[c]! + counts[c]!;
  const next = offsets.slice(0, cells);
  const vectors = new Int16Array(n * dims);
  const scales = new Float32Array(n);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (i % YIELD_ROWS === 0) await pause();
    const at = next[cellOf[i]!]!++;
    rows[at] = i;
    scales[at] = store(matrix, i * dims, rotation, scratch, vectors, at * dims, dims, heads, tails);
  }
  return {
    dims,
    cells,
    centroids,
    offsets,
    vectors,
    scales,
    minScale: minOf(scales),
    rotation,
    heads,
    tails,
    rows,
    probes,
  };
}

/** The `probes` cells whose centroids are nearest to `query`, nearest first. */
export function nearestCells(index: IvfIndex, query: Float32Array, probes = index.probes): number[] {
  if (index.cells === 1) return [0];
  const top = new TopK(Math.min(probes, index.cells));
  for (let c = 0; c < index.cells; c++)
    top.offer(c, dot(query, 0, index.centroids, c * index.dims, index.dims));
  return top.sorted().map((h) => h.row);
}

/** Scans given cells of one index for a query's `k` best rows (see `searchCells`). */
type Scanner = (query: Float32Array, k: number, cells: number[]) => Hit[];

/** Each index's scanner, made on its first search. */
const scanners = new WeakMap<IvfIndex, Scanner>();

/**
 * The `k` best rows of the given cells by dot product with `query`, best
 * first; scores are those of the quantised vectors (within ~1e-5 of the exact).
 */
export function searchCells(index: IvfIndex, query: Float32Array, k: number, cells: number[]): Hit[] {
  let scan = scanners.get(index);
  if (!scan) {
    scan = scannerOf(index);
    scanners.set(index, scan);
  }
  return scan(query, k, cells);
}

/**
 * The scan of one index, with its arrays and sizes held as constants of a
 * closure rather than read from the index on each call: JSC then treats
 * them as constants in the compiled loop, which scanned the 100k catalog
 * ~20 % faster (two-word queries, 0.70 → 0.56 ms; docs/ai.md). The same
 * arithmetic in the same order as before, so the same hits and scores.
 */
function scannerOf(index: IvfIndex): Scanner {
  const { dims, vectors, scales, rows, offsets, tails } = index;
  const [h0, h1] = index.heads;
  // Components from..to-1 of the integer query · the 16-bit row at `bi`, in 32-bit integer
  // arithmetic (Math.imul: as fast in JSC as float × float; float × int16 converted every element
  // and was ~1.5× slower). `scanQuery` sizes the query so that no sum can leave 32 bits. Defined
  // here, not shared, so that each index's loop is compiled against its own `vectors`.
  const dotRow = (a: Int32Array, bi: number, from: number, to: number): number => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = from;
    for (; d + 3 < to; d += 4) {
      s0 = (s0 + Math.imul(a[d]!, vectors[bi + d]!)) | 0;
      s1 = (s1 + Math.imul(a[d + 1]!, vectors[bi + d + 1]!)) | 0;
      s2 = (s2 + Math.imul(a[d + 2]!, vectors[bi + d + 2]!)) | 0;
      s3 = (s3 + Math.imul(a[d + 3]!, vectors[bi + d + 3]!)) | 0;
    }
    for (; d < to; d++) s0 = (s0 + Math.imul(a[d]!, vectors[bi + d]!)) | 0;
    return s0 + s1 + s2 + s3;
  };
  return (query, k, cells) => {
    const top = new TopK(k);
    const { q, scale: qScale } = scanQuery(index, query);
    let qTail1 = 0;
    for (let d = h1; d < dims; d++) qTail1 += (q[d]! * qScale) ** 2;
    let qTail0 = qTail1;
    for (let d = h0; d < h1; d++) qTail0 += (q[d]! * qScale) ** 2;
    qTail0 = Math.sqrt(qTail0) * (1 + 1e-6);
    qTail1 = Math.sqrt(qTail1) * (1 + 1e-6);
    let floor = top.floor();
    for (const c of cells)
      for (let at = offsets[c]!, end = offsets[c + 1]!; at < end; at++) {
        const scale = scales[at]! * qScale;
        const base = at * dims;
        // What is left can add at most |q_tail|·|v_tail|: a row that cannot pass the k-th best is dropped unread.
        let s = dotRow(q, base, 0, h0) * scale;
        if (s + qTail0 * tails[2 * at]! <= floor) continue;
        s += dotRow(q, base, h0, h1) * scale;
        if (s + qTail1 * tails[2 * at + 1]! <= floor) continue;
        s += dotRow(q, base, h1, dims) * scale;
        if (s > floor) {
          top.offer(rows[at]!, s);
          floor = top.floor();
        }
      }
    return top.sorted();
  };
}

/** Approximate top `k` (exact when the index has one cell, or `probes` covers every cell). */
export function searchIvf(index: IvfIndex, query: Float32Array, k: number, probes = index.probes): Hit[] {
  return searchCells(index, query, k, nearestCells(index, query, probes));
}
