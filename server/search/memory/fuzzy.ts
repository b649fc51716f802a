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

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two
 * neighbours) when it is at most `max`, else `max + 1`; stops as soon as a
 * row exceeds `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Typo expansion over the term dictionary: each word of the text becomes the
 * terms within its allowed edits (the word itself included, if it is a
 * term), and the last word also the terms it begins (typed as you go).
 * Results are cached per word until the dictionary changes.
 */
export class TypoExpander {
  private cache = new Map<string, { version: number; exact: number[]; near: number[] }>();

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
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
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
