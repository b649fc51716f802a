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
