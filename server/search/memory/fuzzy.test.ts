import { describe, expect, test } from "bun:test";
import { allowedEdits, editDistance, TypoExpander } from "./fuzzy.ts";
import { Postings } from "./postings.ts";

describe("editDistance (bounded)", () => {
  test("insert, delete, substitute and swap count one each", () => {
    expect(editDistance("headphones", "headphnes", 2)).toBe(1);
    expect(editDistance("widget", "widgit", 1)).toBe(1);
    expect(editDistance("widget", "wdiget", 1)).toBe(1);
    expect(editDistance("kettle", "kettles", 1)).toBe(1);
    expect(editDistance("kettle", "kettle", 1)).toBe(0);
    expect(editDistance("kettle", "bottle", 1)).toBe(2);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
  });

  test("short words allow no edits, long ones two", () => {
    expect([allowedEdits(3), allowedEdits(5), allowedEdits(9)]).toEqual([0, 1, 2]);
  });
});

describe("TypoExpander", () => {
  test("words become their exact term, terms within the allowed edits, and (last word) completions", () => {
    const p = new Postings(
      ["wireless", "headphones", "headset", "kettle"].map((word) => ({ word, ndoc: 0 })),
    );
    p.seal();
    const e = new TypoExpander(p);
    const [wireless, head] = e.expand(["wireless", "headphnes"]);
    expect(wireless).toEqual([{ terms: [p.id("wireless")], factor: 1 }]);
    expect(head!.map((g) => g.terms)).toEqual([[p.id("headphones")]]);
    const [prefix] = e.expand(["heads"]);
    expect(prefix!.flatMap((g) => g.terms)).toContain(p.id("headset"));
    expect(e.expand(["zzzz"])).toEqual([[]]);
  });
});
