import type { LexemeCount } from "../../catalog/search-source.ts";
import { forEachLexeme, packInfo } from "./vector-text.ts";

/** A term's postings: slots in ascending order and one info byte (weight, tf) each. */
export interface TermPostings {
  slots: Int32Array;
  infos: Uint8Array;
}

const EMPTY: TermPostings = { slots: new Int32Array(0), infos: new Uint8Array(0) };

/**
 * The term dictionary and postings. Built once as compressed rows (one
 * Int32Array of slots and one Uint8Array of info bytes for all terms, sized
 * exactly from Postgres's lexeme counts), then grown by small per-term tails
 * for product versions added later. New slots are always higher than every
 * earlier one, so base + tail stays sorted.
 */
export class Postings {
  readonly terms: string[] = [];
  private readonly termIndex = new Map<string, number>();
  private start: Int32Array;
  private slots: Int32Array;
  private infos: Uint8Array;
  /**
   * Per base term after the build: where its info bytes start in `infos`,
   * or `-1 - info` when every posting of the term has that one info byte
   * (half the postings on the 100k seed). Those terms keep no bytes of their
   * own; they get a view of `sameInfo[info]`, which holds that byte
   * repeated. Null during the build (`infos` is then parallel to `slots`).
   */
  private infoAt: Int32Array | null = null;
  private sameInfo: (Uint8Array | undefined)[] = [];
  private fill: Int32Array | null;
  private baseTerms: number;
  private tails: (number[] | undefined)[] = [];
  /** Terms sorted by text (for prefix ranges); terms added later are in `extra`. */
  private sorted: Int32Array = new Int32Array(0);
  private extra: number[] = [];
  /** Bumped whenever a term is added (caches of term expansions check it). */
  version = 0;

  constructor(counts: LexemeCount[]) {
    this.baseTerms = counts.length;
    this.start = new Int32Array(counts.length + 1);
    let total = 0;
    counts.forEach((c, i) => {
      this.terms.push(c.word);
      this.termIndex.set(c.word, i);
      this.start[i] = total;
      total += c.ndoc;
    });
    this.start[counts.length] = total;
    this.slots = new Int32Array(total);
    this.infos = new Uint8Array(total);
    this.fill = this.start.slice(0, counts.length);
  }

  /** Adds the lexemes of a vector text at `slot` (during the build, into the preallocated rows). */
  add(slot: number, vector: string): void {
    forEachLexeme(vector, (word, weight, tf) => {
      const info = packInfo(weight, tf);
      let t = this.termIndex.get(word);
      if (t === undefined) t = this.addTerm(word);
      if (this.fill && t < this.baseTerms && this.fill[t]! < this.start[t + 1]!) {
        const at = this.fill[t]!;
        this.fill[t] = at + 1;
        this.slots[at] = slot;
        this.infos[at] = info;
      } else {
        let tail = this.tails[t];
        if (!tail) {
          tail = [];
          this.tails[t] = tail;
        }
        tail.push(slot * 256 + info);
      }
    });
  }

  private addTerm(word: string): number {
    const t = this.terms.length;
    this.terms.push(word);
    this.termIndex.set(word, t);
    this.extra.push(t);
    this.version++;
    return t;
  }

  /**
   * Ends the build: rows a changing catalog did not fill (a product archived
   * between the counts and the read) are closed up, and terms are sorted.
   */
  seal(): void {
    const fill = this.fill;
    this.fill = null;
    if (fill) {
      let out = 0;
      const start = new Int32Array(this.start.length);
      for (let t = 0; t < this.baseTerms; t++) {
        const from = this.start[t]!;
        const to = fill[t]!;
        start[t] = out;
        if (out !== from) {
          this.slots.copyWithin(out, from, to);
          this.infos.copyWithin(out, from, to);
        }
        out += to - from;
      }
      start[this.baseTerms] = out;
      this.start = start;
      if (out < this.slots.length) {
        this.slots = this.slots.slice(0, out);
        this.infos = this.infos.slice(0, out);
      }
      this.shareUniformInfos();
    }
    this.sorted = Int32Array.from(this.terms.keys()).sort((a, b) => {
      const x = this.terms[a]!;
      const y = this.terms[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.extra = [];
  }

  /**
   * Drops the info bytes of terms whose postings all carry the same byte
   * (they read a shared run of it instead): ~2 MB less on the 100k seed,
   * and reading them stays a zero-copy view.
   */
  private shareUniformInfos(): void {
    const infoAt = new Int32Array(this.baseTerms);
    const longest = new Int32Array(256);
    let kept = 0;
    for (let t = 0; t < this.baseTerms; t++) {
      const from = this.start[t]!;
      const to = this.start[t + 1]!;
      const first = this.infos[from]!;
      let same = to > from;
      for (let k = from + 1; same && k < to; k++) same = this.infos[k] === first;
      if (same) {
        infoAt[t] = -1 - first;
        if (to - from > longest[first]!) longest[first] = to - from;
      } else {
        infoAt[t] = kept;
        kept += to - from;
      }
    }
    const infos = new Uint8Array(kept);
    for (let t = 0; t < this.baseTerms; t++) {
      const at = infoAt[t]!;
      if (at >= 0) infos.set(this.infos.subarray(this.start[t]!, this.start[t + 1]!), at);
    }
    this.sameInfo = [];
    for (let i = 0; i < 256; i++) if (longest[i]! > 0) this.sameInfo[i] = new Uint8Array(longest[i]!).fill(i);
    this.infos = infos;
    this.infoAt = infoAt;
  }

  /** The info bytes of base term `t`'s `n` base postings (a view). */
  private baseInfos(t: number, n: number): Uint8Array {
    const at = this.infoAt ? this.infoAt[t]! : this.start[t]!;
    if (at >= 0) return this.infos.subarray(at, at + n);
    return this.sameInfo[-1 - at]!.subarray(0, n);
  }

  /** The term's id, or -1. */
  id(word: string): number {
    return this.termIndex.get(word) ?? -1;
  }

  /** How many product versions (live or not) carry the term. */
  docFreq(t: number): number {
    const base = t < this.baseTerms ? this.start[t + 1]! - this.start[t]! : 0;
    return base + (this.tails[t]?.length ?? 0);
  }

  /** The term's postings (a view of the base rows when it has no tail). */
  postings(t: number): TermPostings {
    if (t < 0) return EMPTY;
    const from = t < this.baseTerms ? this.start[t]! : 0;
    const to = t < this.baseTerms ? this.start[t + 1]! : 0;
    const tail = this.tails[t];
    const base = t < this.baseTerms ? this.baseInfos(t, to - from) : EMPTY.infos;
    if (!tail) return { slots: this.slots.subarray(from, to), infos: base };
    const n = to - from + tail.length;
    const slots = new Int32Array(n);
    const infos = new Uint8Array(n);
    slots.set(this.slots.subarray(from, to));
    infos.set(base);
    for (let i = 0, j = to - from; i < tail.length; i++, j++) {
      slots[j] = Math.floor(tail[i]! / 256);
      infos[j] = tail[i]! % 256;
    }
    return { slots, infos };
  }

  /** Ids of every term that starts with `prefix`. */
  withPrefix(prefix: string): number[] {
    const out: number[] = [];
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.terms[this.sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length; i++) {
      const t = this.sorted[i]!;
      if (!this.terms[t]!.startsWith(prefix)) break;
      out.push(t);
    }
    for (const t of this.extra) if (this.terms[t]!.startsWith(prefix)) out.push(t);
    return out;
  }

  /** Entries held in tails (what a compaction would fold into the base rows). */
  get tailEntries(): number {
    let n = 0;
    for (const t of this.tails) n += t?.length ?? 0;
    return n;
  }
}
