import { expect, test } from "bun:test";
import fc from "fast-check";
import { createRowStore, strideOf } from "./dot-kernel.ts";

test("stride: dimensions rounded up to a multiple of eight", () => {
  expect([1, 8, 9, 100, 104].map(strideOf)).toEqual([8, 8, 16, 104, 104]);
});

test("pick and gather (kernel and JavaScript) list the rows a plain computation lists, with their sums", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 48 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.double({ min: -2, max: 2, noNaN: true }),
      (dims, head, rows, seed, floor) => {
        const stores = [false, true].map((js) => createRowStore({ rows, dims, head, maxRun: rows, js }));
        expect(stores.map((s) => s.kind)).toEqual(["wasm-simd", "js"]);
        let x = seed;
        const next = () => {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          return (x % 65535) - 32767;
        };
        const plain: number[][] = [];
        const scales: number[] = [];
        const lengths: number[] = [];
        for (let r = 0; r < rows; r++) {
          const row = Array.from({ length: dims }, next);
          plain.push(row);
          scales.push(Math.fround((Math.abs(next()) + 1) / 32767 / 32767));
          lengths.push(Math.fround(Math.abs(next()) / 65535));
          for (const store of stores) {
            store.setRow(r, row);
            store.scales[r] = scales[r]!;
            store.tails[r] = lengths[r]!;
          }
        }
        // Small enough that no sum leaves 32 bits (the index scales its queries so).
        const q = Array.from({ length: dims }, () => next() >> 6);
        const h = stores[0]!.head;
        expect(h % 8).toBe(0);
        const sum = (row: number[], from: number, to: number) =>
          row.slice(from, to).reduce((s, v, d) => s + v * q[from + d]!, 0);
        const qScale = 1e-3;
        const qTail = 0.5;
        const first = rows > 1 ? 1 : 0;
        const want = plain
          .map((row, at) => ({ at, head: sum(row, 0, h), tail: sum(row, h, dims) }))
          .filter((r) => r.at >= first && r.head * (scales[r.at]! * qScale) + qTail * lengths[r.at]! > floor);
        for (const store of stores) {
          store.setQuery(q);
          expect(store.component(rows - 1, dims - 1)).toBe(plain[rows - 1]![dims - 1]!);
          const n = store.pick(first, rows - first, qScale, qTail, floor);
          expect(Array.from(store.picked.subarray(0, n))).toEqual(want.map((r) => r.at));
          expect(Array.from(store.pickedSums.subarray(0, n))).toEqual(want.map((r) => r.head));
          expect(Array.from(store.tailDots(n))).toEqual(want.map((r) => r.tail));
        }
      },
    ),
    { numRuns: 300 },
  );
});
