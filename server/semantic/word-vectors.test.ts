import { expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embed, loadWordVectors, wordVector } from "./word-vectors.ts";

const vec = (i: number) => Array.from({ length: 100 }, (_, d) => (d === i ? 3 : 0));

test("streams the package format, skips non-words, stops at the vocabulary, normalises", async () => {
  const vectors: Record<string, number[]> = {
    ",": vec(0),
    sofa: vec(1),
    "1999": vec(2),
    couch: vec(1),
    lamp: vec(3),
    rare: vec(4),
  };
  // Padding makes the file span several stream chunks.
  const body = JSON.stringify({
    precision: 8,
    words: Object.keys(vectors),
    pad: "x".repeat(200_000),
    vectors,
  });
  const path = join(tmpdir(), `wv-${crypto.randomUUID()}.json`);
  await Bun.write(path, body);
  const v = await loadWordVectors(3, path);
  expect([...v.index.keys()]).toEqual(["sofa", "couch", "lamp"]);
  expect(wordVector(v, "sofa")![1]).toBeCloseTo(1, 6);
  const q = embed(v, ["couch", "unknown"])!;
  const s = embed(v, ["sofa"])!;
  expect(q.reduce((a, x, i) => a + x * s[i]!, 0)).toBeCloseTo(1, 6);
  expect(embed(v, ["unknown"])).toBeNull();
  await expect(loadWordVectors(3, join(tmpdir(), "no-such-file.json"))).rejects.toThrow();
});

test("entries cut by stream chunks, negative numbers and exponents parse exactly", async () => {
  const vectors: Record<string, number[]> = {};
  // ~4 MB of vectors: many chunk boundaries fall inside an entry.
  for (let i = 0; i < 3000; i++)
    vectors[`w${String.fromCharCode(97 + (i % 26))}${"x".repeat(Math.floor(i / 26))}`] = Array.from(
      { length: 100 },
      (_, d) => (d % 2 ? -1 : 1) * (0.123456 + i + d) * (d === 7 ? 1e-7 : 1),
    );
  const body = JSON.stringify({ words: Object.keys(vectors), vectors });
  const path = join(tmpdir(), `wv-${crypto.randomUUID()}.json`);
  await Bun.write(path, body);
  const v = await loadWordVectors(5000, path);
  expect(v.index.size).toBe(3000);
  for (const [word, raw] of Object.entries(vectors)) {
    const row = v.index.get(word)!;
    const norm = Math.sqrt(raw.reduce((a, x) => a + x * x, 0));
    const max = Math.max(...raw.map((x) => Math.abs(x) / norm));
    // Kept as int8 with the row's scale (max / 127): each component within half a step of the parsed value.
    expect(v.scales[row]!).toBeCloseTo(max / 127, 6);
    const got = wordVector(v, word)!;
    for (const d of [0, 1, 7, 99])
      expect(Math.abs(got[d]! - raw[d]! / norm)).toBeLessThanOrEqual(max / 254 + 1e-7);
  }
});
