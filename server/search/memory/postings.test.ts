import { expect, test } from "bun:test";
import fc from "fast-check";
import { Postings } from "./postings.ts";
import { packInfo } from "./vector-text.ts";

const WORDS = ["alpha", "beta", "gamma", "delta", "eps"];
const LETTER = ["D", "C", "B", "A"];

/** One product's lexemes: word index -> [weight, tf]. */
const doc = fc.dictionary(
  fc.constantFrom(...WORDS),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 })),
);

/** `tsvector` text of a doc: tf positions, the weight letter on each (none for D). */
function vectorText(d: Record<string, [number, number]>): string {
  return Object.entries(d)
    .map(([w, [weight, tf]]) => {
      const positions = Array.from({ length: tf }, (_, i) => `${i + 1}${weight ? LETTER[weight] : ""}`);
      return `'${w}':${positions.join(",")}`;
    })
    .join(" ");
}

test("every term's slots and info bytes come back exactly, shared runs of one byte included", () => {
  fc.assert(
    fc.property(
      fc.array(doc, { maxLength: 30 }),
      fc.array(doc, { maxLength: 5 }),
      fc.constantFrom(0, 1, 2, 3),
      (built, later, uniformWeight) => {
        // Often every posting of "same" has one info byte (a shared run), "mixed" rarely does.
        const all = [...built, ...later].map((d, i) => ({
          ...d,
          same: [uniformWeight, 1] as [number, number],
          mixed: [i % 4, 1 + (i % 2)] as [number, number],
        }));
        const words = [...WORDS, "same", "mixed"];
        const counts = words.map((word) => ({
          word,
          ndoc: built.length ? all.slice(0, built.length).filter((d) => word in d).length : 0,
        }));
        const p = new Postings(counts);
        for (const [slot, d] of all.slice(0, built.length).entries()) p.add(slot, vectorText(d));
        p.seal();
        for (const [i, d] of all.slice(built.length).entries()) p.add(built.length + i, vectorText(d));
        for (const word of [...words, "never"]) {
          const slots: number[] = [];
          const infos: number[] = [];
          all.forEach((d, slot) => {
            const hit = (d as Record<string, [number, number]>)[word];
            if (!hit) return;
            slots.push(slot);
            infos.push(packInfo(hit[0], hit[1]));
          });
          const got = p.postings(p.id(word));
          expect([...got.slots]).toEqual(slots);
          expect([...got.infos]).toEqual(infos);
          expect(p.id(word) < 0 ? 0 : p.docFreq(p.id(word))).toBe(slots.length);
        }
      },
    ),
  );
});

test("bit-set and 16-bit terms over two blocks, with tails: every reader matches a plain scan", () => {
  // 70,000 built slots (two 65,536-slot blocks), then 50 later ones (tails).
  const built = 70_000;
  const all = built + 50;
  const words: [string, (s: number) => number][] = [
    ["every", () => packInfo(3, 1)],
    ["most", (s) => (s % 10 === 3 ? -1 : packInfo(s % 4, 1 + (s % 3)))],
    ["some", (s) => (s % 19 === 0 ? packInfo(1, 2) : -1)],
    ["rare", (s) => (s % 9_001 === 7 ? packInfo(2, 1) : -1)],
  ];
  const infoOf = (w: number, s: number) => words[w]![1](s);
  const vector = (s: number) =>
    words
      .map(([word], w) => {
        const info = infoOf(w, s);
        if (info < 0) return "";
        const tf = info >> 2;
        const weight = info & 3;
        return `'${word}':${Array.from({ length: tf }, (_, i) => `${i + 1}${weight ? LETTER[weight] : ""}`).join(",")}`;
      })
      .filter(Boolean)
      .join(" ");
  const counts = words.map(([word], w) => {
    let ndoc = 0;
    for (let s = 0; s < built; s++) if (infoOf(w, s) >= 0) ndoc++;
    return { word, ndoc };
  });
  const p = new Postings(counts);
  for (let s = 0; s < built; s++) p.add(s, vector(s));
  p.seal();
  for (let s = built; s < all; s++) p.add(s, vector(s));
  // "every" and "most" are bit sets (in 1/8 of the slots or more), "some" 32-bit slots, "rare" 16-bit ones.
  expect(words.map(([word]) => p.isBitSet(p.id(word)))).toEqual([true, true, false, false]);
  // Under a byte a posting with the info bytes (5 bytes a posting before the compaction).
  const postings = counts.reduce((n, c) => n + c.ndoc, 0);
  expect(p.baseBytes).toBeLessThan(postings);

  const probe = Int32Array.from({ length: all }, (_, s) => s).filter((s) => s % 7 === 0 || s >= built - 3);
  const marks = new Uint8Array(all);
  for (const s of probe) marks[s] = 1;
  words.forEach(([word], w) => {
    const t = p.id(word);
    const want: number[] = [];
    for (let s = 0; s < all; s++) if (infoOf(w, s) >= 0) want.push(s);
    expect([...p.slotsOf(t, (n) => new Int32Array(n))]).toEqual(want);

    const bits = new Uint32Array((all + 31) >>> 5);
    const range = Int32Array.of(0x7fffffff, -1);
    p.setBits(t, bits, range);
    const set: number[] = [];
    for (let x = range[0]!; x <= range[1]!; x++)
      for (let b = 0; b < 32; b++) if (bits[x]! & (1 << b)) set.push(x * 32 + b);
    expect(set).toEqual(want);

    const held = new Set(want);
    const out = new Int32Array(probe.length);
    expect([...out.subarray(0, p.keepWith(t, probe, out))]).toEqual([...probe].filter((s) => held.has(s)));

    const boost = Float64Array.from({ length: 256 }, (_v, i) => i);
    const scores = new Float32Array(all);
    p.addScores(t, 1, boost, new Float64Array(256).fill(1), marks, scores);
    for (let s = 0; s < all; s++) expect(scores[s]).toBe(marks[s] && held.has(s) ? infoOf(w, s) : 0);
  });
});
