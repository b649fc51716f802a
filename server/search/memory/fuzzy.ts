import { RecentMap } from "../../../platform/recent-map.ts";
import type { WeightedTerms } from "./match.ts";
import type { Postings } from "./postings.ts";

/** Score factor of a term reached through a typo (an exact term counts 1). */
const TYPO_FACTOR = 0.6;
/** Expansions kept per word (the most frequent terms win), so a short word cannot expand to thousands. */
const MAX_EXPANSIONS = 64;
const CACHE_SIZE = 5000;

/** Edits allowed for a word of this length: none below 4 letters, 1 up to 7, 2 from 8. */
export function allowedEdits(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}

/** Longest word compared; longer ones only match exactly. */
const MAX_WORD = 48;
// Three reusable DP rows: the distance is computed millions of times per uncached word.
let rowA = new Int32Array(MAX_WORD + 1);
let rowB = new Int32Array(MAX_WORD + 1);
let rowC = new Int32Array(MAX_WORD + 1);
const letters = new Int32Array(128);

/**
 * A lower bound of the edit distance from letter counts (each edit changes
 * at most two counts by one): rejects most of a dictionary without the DP.
 * Non-ASCII letters are not counted (the bound stays a lower bound).
 */
function bagDistanceAtMost(a: string, b: string, max: number): boolean {
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c < 128) letters[c]!++;
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c < 128) letters[c]!--;
  }
  let plus = 0;
  let minus = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    if (c < 128 && letters[c] !== 0) {
      if (letters[c]! > 0) plus += letters[c]!;
      else minus -= letters[c]!;
      letters[c] = 0;
    }
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c < 128 && letters[c] !== 0) {
      if (letters[c]! > 0) plus += letters[c]!;
      else minus -= letters[c]!;
      letters[c] = 0;
    }
  }
  return Math.max(plus, minus) <= max;
}

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two
 * neighbours) when it is at most `max`, else `max + 1`; stops as soon as a
 * row exceeds `max`. Allocation-free.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > MAX_WORD || b.length > MAX_WORD) return a === b ? 0 : max + 1;
  if (!bagDistanceAtMost(a, b, max)) return max + 1;
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[b.length]!;
  rowA = prev2;
  rowB = prev;
  rowC = cur;
  return d;
}

/**
 * Typo expansion over the term dictionary: each word of the text becomes the
 * terms within its allowed edits (the word itself included, if it is a
 * term), and the last word also the terms it begins (typed as you go).
 * Results are cached per word until the dictionary changes.
 */
export class TypoExpander {
  private cache = new RecentMap<string, { version: number; exact: number[]; near: number[] }>(CACHE_SIZE);

  constructor(private readonly postings: Postings) {}

  private near(word: string): { exact: number[]; near: number[] } {
    const hit = this.cache.get(word);
    if (hit && hit.version === this.postings.version) return hit;
    const max = allowedEdits(word.length);
    const exactId = this.postings.id(word);
    const exact = exactId >= 0 ? [exactId] : [];
    let near: number[] = [];
    if (max > 0) {
      const terms = this.postings.terms;
      for (let t = 0; t < terms.length; t++) {
        const term = terms[t]!;
        if (t === exactId || Math.abs(term.length - word.length) > max) continue;
        if (editDistance(word, term, max) <= max) near.push(t);
      }
      if (near.length > MAX_EXPANSIONS)
        near = near
          .sort((a, b) => this.postings.docFreq(b) - this.postings.docFreq(a))
          .slice(0, MAX_EXPANSIONS);
    }
    const entry = { version: this.postings.version, exact, near };
    this.cache.set(word, entry);
    return entry;
  }

  /** Per word: the terms it may stand for (exact ones weigh 1, typo guesses less). */
  expand(words: string[]): WeightedTerms[][] {
    return words.map((w, i) => {
      const { exact, near } = this.near(w);
      const groups: WeightedTerms[] = [
        { terms: exact, factor: 1 },
        { terms: near, factor: TYPO_FACTOR },
      ];
      if (i === words.length - 1 && w.length >= 2) {
        const started = this.postings.withPrefix(w).filter((t) => !exact.includes(t));
        groups.push({ terms: started.slice(0, MAX_EXPANSIONS * 4), factor: TYPO_FACTOR });
      }
      return groups.filter((g) => g.terms.length > 0);
    });
  }
}
