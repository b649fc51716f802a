import { expect, test } from "bun:test";
import fc from "fast-check";
import { CompactRows } from "./compact-rows.ts";

/** Ascending distinct slots below `span`, about `share` of them. */
function slotsOf(span: number, share: number, seed: number): number[] {
  const out: number[] = [];
  let x = seed >>> 0 || 1;
  for (let s = 0; s < span; s++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    if ((x >>> 0) / 2 ** 32 < share) out.push(s);
  }
  return out;
}

test("dense terms become bit sets, long lists stay 32-bit, short ones 16-bit blocks; every reader gives back the exact slots", () => {
  fc.assert(
    fc.property(
      // Spans over one and several 65,536-slot blocks; shares from a few slots to most of them.
      fc.integer({ min: 1, max: 200_000 }),
      fc.array(fc.tuple(fc.constantFrom(0, 0.0001, 0.01, 0.03, 0.1, 0.2, 0.9), fc.integer()), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.integer(),
      (span, specs, probeSeed) => {
        const terms = specs.map(([share, seed]) => slotsOf(span, share, seed));
        const start = new Int32Array(terms.length + 1);
        terms.forEach((t, i) => {
          start[i + 1] = start[i]! + t.length;
        });
        const rows = new CompactRows(start, Int32Array.from(terms.flat()), terms.length, span);
        const probe = slotsOf(span, 0.3, probeSeed);
        const marks = new Uint8Array(span);
        for (const s of probe) marks[s] = 1;
        terms.forEach((slots, t) => {
          expect(rows.isSet(t)).toBe(slots.length >= 64 && slots.length * 8 >= span);
          // Lists of 2,048 slots or more (not bit sets) are read in place.
          expect(rows.view(t) !== null).toBe(!rows.isSet(t) && slots.length >= 2048);
          if (rows.view(t)) expect([...rows.view(t)!]).toEqual(slots);
          const out = new Int32Array(slots.length);
          expect(rows.decode(t, out)).toBe(slots.length);
          expect([...out]).toEqual(slots);

          const bits = new Uint32Array((span + 31) >>> 5);
          const range = Int32Array.of(0x7fffffff, -1);
          rows.setBits(t, bits, range);
          const set: number[] = [];
          for (let w = Math.max(0, range[0]!); w <= range[1]!; w++)
            for (let b = 0; b < 32; b++) if (bits[w]! & (1 << b)) set.push(w * 32 + b);
          expect(set).toEqual(slots);

          const held = new Set(slots);
          const kept = new Int32Array(probe.length);
          const n = rows.keep(t, Int32Array.from(probe), kept);
          expect([...kept.subarray(0, n)]).toEqual(probe.filter((s) => held.has(s)));

          // Info byte = the posting's index mod 256; each marked posting adds 2 * boost[info] * sat[info].
          const infos = Uint8Array.from(slots, (_s, i) => i % 256);
          const boost = Float64Array.from({ length: 256 }, (_v, i) => i + 0.5);
          const sat = Float64Array.from({ length: 256 }, (_v, i) => (i % 2) + 1);
          const scores = new Float32Array(span);
          rows.addScores(t, infos, 2, boost, sat, marks, scores);
          slots.forEach((s, i) => {
            expect(scores[s]).toBe(marks[s] ? Math.fround(2 * ((i % 256) + 0.5) * ((i % 2) + 1)) : 0);
          });
        });
      },
    ),
    { numRuns: 40 },
  );
});
