import { describe, expect, test } from "bun:test";
import { leaves, parseTsquery } from "./tsquery.ts";
import { forEachLexeme, packInfo, parseVectorText } from "./vector-text.ts";

describe("parseTsquery (Postgres's text form)", () => {
  test("AND binds tighter than OR; prefixes; parentheses", () => {
    expect(parseTsquery("'ultra' & 'blender' | 'ultra' & 'blend':*")).toEqual({
      op: "or",
      kids: [
        {
          op: "and",
          kids: [
            { op: "term", word: "ultra", prefix: false },
            { op: "term", word: "blender", prefix: false },
          ],
        },
        {
          op: "and",
          kids: [
            { op: "term", word: "ultra", prefix: false },
            { op: "term", word: "blend", prefix: true },
          ],
        },
      ],
    });
    const nested = parseTsquery("( 'a' | 'b' ) & 'c'");
    expect(nested).toEqual({
      op: "and",
      kids: [
        {
          op: "or",
          kids: [
            { op: "term", word: "a", prefix: false },
            { op: "term", word: "b", prefix: false },
          ],
        },
        { op: "term", word: "c", prefix: false },
      ],
    });
    expect(leaves(nested!).map((l) => l.word)).toEqual(["a", "b", "c"]);
  });

  test("quotes and backslashes inside lexemes are unescaped", () => {
    expect(parseTsquery("'d''or' & 'a\\\\b'")).toEqual({
      op: "and",
      kids: [
        { op: "term", word: "d'or", prefix: false },
        { op: "term", word: "a\\b", prefix: false },
      ],
    });
  });

  test("negation, phrases and weights are left to Postgres (null); so is empty text", () => {
    expect(parseTsquery("'a' & !'b'")).toBeNull();
    expect(parseTsquery("'usb' <-> 'c'")).toBeNull();
    expect(parseTsquery("'a' <2> 'b'")).toBeNull();
    expect(parseTsquery("'a':AB")).toBeNull();
    expect(parseTsquery("'a':*B")).toBeNull();
    expect(parseTsquery("")).toBeNull();
    expect(parseTsquery("'a' &")).toBeNull();
  });
});

describe("tsvector text", () => {
  test("lexemes with their best weight and number of positions", () => {
    expect(parseVectorText("'blender':2A,9C 'it''s':4B 'x\\\\y':7 'nopos'")).toEqual([
      { word: "blender", weight: 3, tf: 2 },
      { word: "it's", weight: 2, tf: 1 },
      { word: "x\\y", weight: 0, tf: 1 },
      { word: "nopos", weight: 0, tf: 1 },
    ]);
    let n = 0;
    forEachLexeme("", () => n++);
    expect(n).toBe(0);
  });

  test("info byte packs weight and a capped frequency", () => {
    expect(packInfo(3, 2)).toBe((2 << 2) | 3);
    expect(packInfo(1, 500) >> 2).toBe(63);
  });
});
