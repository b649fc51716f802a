import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import fc from "fast-check";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { composePlainText, plainWords } from "./query-text.ts";
import { englishLexemes, prepareText } from "./sql.ts";

setDefaultTimeout(60_000);

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

test("plainWords: only 1-10 lower-case ASCII words with single spaces, without `or`", () => {
  expect(plainWords("wireless headphones")).toEqual(["wireless", "headphones"]);
  for (const q of ["", " sofa", "sofa ", "red  sofa", "Sofa", "usb3", "café", "a-b", "red or blue", '"sofa"'])
    expect(plainWords(q)).toBeNull();
  expect(plainWords(Array(10).fill("a").join(" "))).toHaveLength(10);
  expect(plainWords(Array(11).fill("a").join(" "))).toBeNull();
});

// Catalog words, stop words, words the stemmer changes, and words it leaves.
const WORDS = [
  "wireless",
  "headphones",
  "running",
  "shoes",
  "women",
  "sofa",
  "couch",
  "the",
  "a",
  "and",
  "of",
  "is",
  "with",
  "for",
  "ultra",
  "blender",
  "kettle",
  "leather",
  "bags",
  "laptop",
  "sleeves",
  "cables",
  "organic",
  "cotton",
  "shirts",
  "batteries",
  "stainless",
  "steel",
  "quickly",
  "happiness",
  "x",
  "it",
];

test("a plain query's parse put together from its words' lexemes is Postgres's own", async () => {
  const sql = t.database.sql;
  const lexemes = new Map((await englishLexemes(sql, WORDS)).map((l, i) => [WORDS[i]!, l]));
  // The stop words come back empty and the stemmed ones changed: the map is not the identity.
  expect(lexemes.get("the")).toBe("");
  expect(lexemes.get("running")).toBe("run");
  const queries = fc.sample(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }), {
    numRuns: 300,
    seed: 16,
  });
  for (const ws of [...queries, ["the"], ["the", "a"], ["sofa", "sofa"], ["a", "sofa"]]) {
    const q = ws.join(" ");
    expect(plainWords(q)).toEqual(ws);
    const composed = composePlainText(
      ws,
      ws.map((w) => lexemes.get(w)!),
    );
    expect({ q, ...composed }).toEqual({ q, ...(await prepareText(sql, q)) });
  }
});
