import { expect, test } from "bun:test";
import { energyRotation, rotate, unrotate } from "./rotation.ts";

const DIMS = 20;

/** Vectors whose energy lies mostly along two hidden directions (plus a little noise). */
function skewed(n: number): Float32Array {
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const a = Float32Array.from({ length: DIMS }, rnd);
  const b = Float32Array.from({ length: DIMS }, rnd);
  const m = new Float32Array(n * DIMS);
  for (let i = 0; i < n; i++) {
    const x = 3 * rnd();
    const y = 2 * rnd();
    for (let d = 0; d < DIMS; d++) m[i * DIMS + d] = x * a[d]! + y * b[d]! + 0.05 * rnd();
  }
  return m;
}

test("the rotation is orthonormal, keeps dot products and puts the energy first", () => {
  const n = 500;
  const m = skewed(n);
  const r = energyRotation(
    m,
    Array.from({ length: n }, (_, i) => i),
    DIMS,
  );
  for (let i = 0; i < DIMS; i++)
    for (let j = 0; j < DIMS; j++) {
      let s = 0;
      for (let k = 0; k < DIMS; k++) s += r[i * DIMS + k]! * r[j * DIMS + k]!;
      expect(s).toBeCloseTo(i === j ? 1 : 0, 4);
    }
  const u = new Float32Array(DIMS);
  const v = new Float32Array(DIMS);
  let inHead = 0;
  let total = 0;
  for (let i = 0; i + 1 < n; i += 2) {
    rotate(r, m, i * DIMS, u, DIMS);
    rotate(r, m, (i + 1) * DIMS, v, DIMS);
    let before = 0;
    let after = 0;
    for (let d = 0; d < DIMS; d++) {
      before += m[i * DIMS + d]! * m[(i + 1) * DIMS + d]!;
      after += u[d]! * v[d]!;
      total += u[d]! ** 2;
      if (d < 2) inHead += u[d]! ** 2;
    }
    expect(after).toBeCloseTo(before, 4);
  }
  // Two hidden directions: the first two rotated axes carry nearly all the energy.
  expect(inHead / total).toBeGreaterThan(0.99);
  const back = new Float32Array(DIMS);
  unrotate(r, u, back, DIMS);
  for (let d = 0; d < DIMS; d++) expect(back[d]!).toBeCloseTo(m[(n - 2) * DIMS + d]!, 4);
});
