import { expect, test } from "bun:test";
import fc from "fast-check";
import { createRowStore, strideOf } from "./dot-kernel.ts";

test("stride: dimensions rounded up to a multiple of eight", () => {
  expect([1, 8, 9, 100, 104].map(strideOf)).toEqual([8, 8, 16, 104, 104]);
});

test("head and tail dots (kernel and JavaScript) equal the plain integer sums, for any split and size", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 48 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (dims, head, rows, seed) => {
        const stores = [false, true].map((js) => createRowStore({ rows, dims, head, maxRun: rows, js }));
        expect(stores.map((s) => s.kind)).toEqual(["wasm-simd", "js"]);
        let x = seed;
        const next = () => {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          return (x % 65535) - 32767;
        };
        const plain: number[][] = [];
        for (let r = 0; r < rows; r++) {
          const row = Array.from({ length: dims }, next);
          plain.push(row);
          for (const store of stores) store.setRow(r, row);
        }
        // Small enough that no sum leaves 32 bits (the index scales its queries so).
        const q = Array.from({ length: dims }, () => next() >> 6);
        const h = stores[0]!.head;
        expect(h % 8).toBe(0);
        const sum = (row: number[], from: number, to: number) =>
          row.slice(from, to).reduce((s, v, d) => s + v * q[from + d]!, 0);
        const first = rows > 1 ? 1 : 0;
        for (const store of stores) {
          store.setQuery(q);
          expect(store.head).toBe(h);
          expect(store.component(rows - 1, dims - 1)).toBe(plain[rows - 1]![dims - 1]!);
          const run = store.headDots(first, rows - first);
          // Tails of picked rows (the last, then the first twice) leave the heads' run as it was.
          const picks = [rows - 1, 0, 0].slice(0, Math.min(3, rows));
          store.picked.set(picks);
          const tails = Array.from(store.tailDots(picks.length));
          expect(Array.from(run)).toEqual(plain.slice(first).map((row) => sum(row, 0, h)));
          expect(tails).toEqual(picks.map((r) => sum(plain[r]!, h, dims)));
        }
      },
    ),
    { numRuns: 200 },
  );
});
