import { expect, test } from "bun:test";
import { buildIvf, type Hit, nearestCells, scanQuery, searchCells, searchIvf } from "./ann.ts";
import { bruteForce, recallAt, rescore } from "./exact.ts";
import { rotate, unrotate } from "./rotation.ts";

const DIMS = 100;

/** A seeded normal generator (Box-Muller over mulberry32). */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function normalise(v: Float32Array, at: number): void {
  let n = 0;
  for (let d = 0; d < DIMS; d++) n += v[at + d]! ** 2;
  n = Math.sqrt(n) || 1;
  for (let d = 0; d < DIMS; d++) v[at + d]! /= n;
}

/**
 * Planted data like a catalog's product vectors: `topics` directions, each
 * product near one of them (topic + noise), so true neighbours share a topic;
 * queries are noisy copies of random products.
 */
function planted(n: number, topics: number, queries: number, seed: number) {
  const g = gaussian(seed);
  const centres = new Float32Array(topics * DIMS).map(() => g());
  for (let t = 0; t < topics; t++) normalise(centres, t * DIMS);
  const matrix = new Float32Array(n * DIMS);
  for (let i = 0; i < n; i++) {
    const t = i % topics;
    for (let d = 0; d < DIMS; d++) matrix[i * DIMS + d] = centres[t * DIMS + d]! + 0.08 * g();
    normalise(matrix, i * DIMS);
  }
  const qs: Float32Array[] = [];
  for (let q = 0; q < queries; q++) {
    const r = Math.floor(Math.abs(g() * 7919 * (q + 1))) % n;
    const v = new Float32Array(DIMS);
    for (let d = 0; d < DIMS; d++) v[d] = matrix[r * DIMS + d]! + 0.08 * g();
    normalise(v, 0);
    qs.push(v);
  }
  return { matrix, queries: qs };
}

function meanRecall(matrix: Float32Array, queries: Float32Array[], search: (q: Float32Array) => Hit[]) {
  let sum = 0;
  // The index scores its int16 copies; recall is judged on the exact scores of what it returned.
  for (const q of queries)
    sum += recallAt(rescore(matrix, DIMS, q, search(q)), bruteForce(matrix, DIMS, q, 50));
  return sum / queries.length;
}

test("IVF recall@50 against brute force on planted clustered vectors (20k × 100)", async () => {
  const { matrix, queries } = planted(20_000, 400, 200, 7);
  const t0 = performance.now();
  const index = await buildIvf(matrix, DIMS);
  const buildMs = performance.now() - t0;
  const ivf = meanRecall(matrix, queries, (q) => searchIvf(index, q, 50));
  // The control: as many cells scanned, but chosen at random instead of by their centroids.
  let pick = 12345;
  const randomCells = (q: Float32Array) =>
    searchCells(
      index,
      q,
      50,
      nearestCells(index, q, index.probes).map(() => {
        pick = (pick * 1103515245 + 12345) % 2147483648;
        return pick % index.cells;
      }),
    );
  const control = meanRecall(matrix, queries, randomCells);
  const scanned = index.probes / index.cells;
  console.log(
    `ivf over 20000 planted vectors: ${index.cells} cells, ${index.probes} probes (~${(100 * scanned).toFixed(1)}% scanned), built in ${buildMs.toFixed(0)} ms; recall@50 ${(100 * ivf).toFixed(1)}%, random cells ${(100 * control).toFixed(1)}%`,
  );
  expect(index.cells).toBeGreaterThan(64);
  expect(ivf).toBeGreaterThanOrEqual(0.9);
  expect(control).toBeLessThan(0.5);
});

/** The index's own (quantised, rotated) vectors back in row order and axes, as floats: what its scan compares. */
function dequantised(index: Awaited<ReturnType<typeof buildIvf>>): Float32Array {
  const out = new Float32Array(index.rows.length * DIMS);
  const stored = new Float32Array(DIMS);
  const back = new Float32Array(DIMS);
  index.rows.forEach((row, at) => {
    for (let d = 0; d < DIMS; d++) stored[d] = index.store.component(at, d) * index.store.scales[at]!;
    unrotate(index.rotation, stored, back, DIMS);
    out.set(back, row * DIMS);
  });
  return out;
}

/** The query as the scan multiplies it: rotated, rounded to 16 bits, rotated back, as floats. */
function rounded(index: Awaited<ReturnType<typeof buildIvf>>, query: Float32Array): Float32Array {
  const turned = new Float32Array(DIMS);
  rotate(index.rotation, query, 0, turned, DIMS);
  const { q, scale } = scanQuery(index, turned);
  const back = new Float32Array(DIMS);
  unrotate(
    index.rotation,
    Float32Array.from(q, (x) => x * scale),
    back,
    DIMS,
  );
  return back;
}

test("every probe scanned equals brute force; a small set is one exact cell", async () => {
  const { matrix, queries } = planted(5000, 50, 20, 3);
  const index = await buildIvf(matrix, DIMS, { cells: 64 });
  const own = dequantised(index);
  let quantisedRecall = 0;
  for (const q of queries) {
    const all = searchIvf(index, q, 20, index.cells);
    // Exhaustive over what the index holds (its rows and its rounded query): the same rows in the same order.
    expect(all.map((h) => h.row)).toEqual(bruteForce(own, DIMS, rounded(index, q), 20).map((h) => h.row));
    quantisedRecall += recallAt(rescore(matrix, DIMS, q, all), bruteForce(matrix, DIMS, q, 20));
  }
  // Against the float vectors the int16 copies lose (almost) nothing.
  expect(quantisedRecall / queries.length).toBeGreaterThanOrEqual(0.99);
  const small = planted(500, 10, 5, 4);
  const one = await buildIvf(small.matrix, DIMS);
  expect(one.cells).toBe(1);
  const oneOwn = dequantised(one);
  for (const q of small.queries)
    expect(searchIvf(one, q, 10).map((h) => h.row)).toEqual(
      bruteForce(oneOwn, DIMS, rounded(one, q), 10).map((h) => h.row),
    );
});

test("16-bit scores stay within 1e-4 of the exact dot products", async () => {
  const { matrix, queries } = planted(2000, 20, 20, 5);
  const index = await buildIvf(matrix, DIMS);
  for (const q of queries)
    for (const h of searchIvf(index, q, 50))
      expect(Math.abs(h.score - rescore(matrix, DIMS, q, [h])[0]!.score)).toBeLessThan(1e-4);
});

test("the SIMD kernel and the JavaScript routine find the same rows with the same scores", async () => {
  const { matrix, queries } = planted(6000, 60, 30, 9);
  const simd = await buildIvf(matrix, DIMS);
  const js = await buildIvf(matrix, DIMS, { js: true });
  // Bun's JSC has WebAssembly SIMD; the fallback exists for runtimes without it.
  expect(simd.store.kind).toBe("wasm-simd");
  expect(js.store.kind).toBe("js");
  for (const q of queries) {
    const a = searchIvf(simd, q, 30);
    expect(a.length).toBe(30);
    expect(a).toEqual(searchIvf(js, q, 30));
  }
});

test("recallAt counts ties at the boundary and rejects a wrong list", () => {
  const exact = [
    { row: 1, score: 0.9 },
    { row: 2, score: 0.5 },
  ];
  expect(
    recallAt(
      [
        { row: 3, score: 0.9 },
        { row: 4, score: 0.5 },
      ],
      exact,
    ),
  ).toBe(1);
  expect(
    recallAt(
      [
        { row: 5, score: 0.1 },
        { row: 1, score: 0.9 },
      ],
      exact,
    ),
  ).toBe(0.5);
});

test("integer scan: rows spread evenly (the longest integer rows) score without overflow", async () => {
  // Every component 0.1 (the smallest largest-component a unit 100-d row can have) and a few signs flipped.
  const matrix = new Float32Array(300 * DIMS);
  for (let i = 0; i < 300; i++)
    for (let d = 0; d < DIMS; d++) matrix[i * DIMS + d] = (d < i % DIMS ? -0.1 : 0.1) * (i < 150 ? 1 : -1);
  const index = await buildIvf(matrix, DIMS);
  for (const q of [matrix.slice(0, DIMS), matrix.slice(170 * DIMS, 171 * DIMS)]) {
    const hits = searchIvf(index, q, 5);
    const exact = bruteForce(matrix, DIMS, q, 5);
    // These longest rows leave the query the fewest integer levels (~600): scores within ~1e-4.
    expect(hits[0]!.score).toBeCloseTo(1, 3);
    expect(hits.map((h) => h.score)).toEqual(exact.map((h) => expect.closeTo(h.score, 3)));
  }
});
