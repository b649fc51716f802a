import { expect, test } from "bun:test";
import { quantiseRow } from "./quantise.ts";

test("a row comes back within half a step of its scale (int8 and int16)", () => {
  const row = Float32Array.from({ length: 100 }, (_, d) => Math.sin(d * 1.7) * (d === 3 ? 0.9 : 0.2));
  for (const out of [new Int8Array(110), new Int16Array(110)]) {
    const scale = quantiseRow(row, 0, out, 10, 100);
    const levels = out instanceof Int8Array ? 127 : 32767;
    expect(scale).toBeCloseTo(Math.max(...row.map(Math.abs)) / levels, 9);
    expect(Math.abs(out[13]!)).toBe(levels); // the largest component uses the whole range
    for (let d = 0; d < 100; d++)
      expect(Math.abs(out[10 + d]! * scale - row[d]!)).toBeLessThanOrEqual(scale / 2 + 1e-9);
    expect(out[0]).toBe(0); // nothing written before `to`
  }
  expect(quantiseRow(new Float32Array(4), 0, new Int8Array(4), 0, 4)).toBe(1); // a zero row keeps scale 1
});
