import type { LexemeCount } from "../../catalog/search-source.ts";
import { CompactRows } from "./compact-rows.ts";
import { forEachLexeme, packInfo } from "./vector-text.ts";

/** A term's postings: slots in ascending order and one info byte (weight, tf) each. */
export interface TermPostings {
  slots: Int32Array;
  infos: Uint8Array;
}

/**
 * The term dictionary and postings. Built as rows (one Int32Array of slots
 * and one Uint8Array of info bytes for all terms, sized exactly from
 * Postgres's lexeme counts), compacted when the build ends (`CompactRows`:
 * bit sets for frequent terms, 16-bit slots for the rest), then grown by
 * small per-term tails for product versions added later. New slots are
 * always higher than every earlier one, so base + tail stays sorted.
 */
export class Postings {
  readonly terms: string[] = [];
  private readonly termIndex = new Map<string, number>();
  private start: Int32Array;
  /** The build's rows; empty once sealed (the slots are then in `rows`). */
  private slots: Int32Array;
  private rows: CompactRows | null = null;
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
  /** Highest slot added during the build, plus one (the span of the bit sets). */
  private slotCount = 0;
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
        if (slot >= this.slotCount) this.slotCount = slot + 1;
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
      this.rows = new CompactRows(this.start, this.slots, this.baseTerms, this.slotCount);
      this.slots = new Int32Array(0);
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

  /** How many base postings term `t` has (0 for terms added after the build). */
  private baseCount(t: number): number {
    return t < this.baseTerms ? this.start[t + 1]! - this.start[t]! : 0;
  }

  private sealed(): CompactRows {
    if (!this.rows) throw new Error("Postings read before seal()");
    return this.rows;
  }

  /**
   * Term `t`'s slots, ascending: a view of its 32-bit slots when it has them
   * and no tail, else decoded into `take(n)` (a query's arena).
   */
  slotsOf(t: number, take: (n: number) => Int32Array): Int32Array {
    if (t < 0) return new Int32Array(0);
    const rows = this.sealed();
    const tail = this.tails[t];
    if (!tail && t < this.baseTerms) {
      const view = rows.view(t);
      if (view) return view;
    }
    const out = take(this.docFreq(t));
    let n = t < this.baseTerms ? rows.decode(t, out) : 0;
    if (tail) for (let i = 0; i < tail.length; i++) out[n++] = Math.floor(tail[i]! / 256);
    return out;
  }

  /** True when term `t` is a bit set (a union sets its words, not its slots one by one). */
  isBitSet(t: number): boolean {
    return t >= 0 && t < this.baseTerms && this.sealed().isSet(t);
  }

  /** Sets term `t`'s slots in `bits` and widens `range` ([first, last] word touched) to cover them. */
  setBits(t: number, bits: Uint32Array, range: Int32Array): void {
    if (t < 0) return;
    if (t < this.baseTerms) this.sealed().setBits(t, bits, range);
    const tail = this.tails[t];
    if (!tail) return;
    for (let i = 0; i < tail.length; i++) {
      const s = Math.floor(tail[i]! / 256);
      bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
    }
    const first = Math.floor(tail[0]! / 256) >>> 5;
    const last = Math.floor(tail[tail.length - 1]! / 256) >>> 5;
    if (first < range[0]!) range[0] = first;
    if (last > range[1]!) range[1] = last;
  }

  /**
   * Writes the slots of ascending `list` that carry term `t` into `out`
   * (from 0); returns how many: an AND with a term that is never decoded
   * (one bit test a slot for a bit set, a merge in place for a list, then a
   * merge with the tail, whose slots are above every base slot).
   */
  keepWith(t: number, list: Int32Array, out: Int32Array): number {
    if (t < 0) return 0;
    let n = t < this.baseTerms ? this.sealed().keep(t, list, out) : 0;
    const tail = this.tails[t];
    if (!tail) return n;
    let j = 0;
    for (let i = 0; i < list.length && j < tail.length; i++) {
      const s = list[i]!;
      while (j < tail.length && Math.floor(tail[j]! / 256) < s) j++;
      if (j < tail.length && Math.floor(tail[j]! / 256) === s) out[n++] = s;
    }
    return n;
  }

  /**
   * Adds `idf * boost[info] * sat[info]` to `scores[s]` for each posting
   * (slot s, info byte) of term `t` whose slot is marked: relevance reads
   * the postings through this (`scoreMatches`).
   */
  addScores(
    t: number,
    idf: number,
    boost: Float64Array,
    sat: Float64Array,
    marks: Uint8Array,
    scores: Float32Array,
  ): void {
    if (t < 0) return;
    if (t < this.baseTerms)
      this.sealed().addScores(t, this.baseInfos(t, this.baseCount(t)), idf, boost, sat, marks, scores);
    const tail = this.tails[t];
    if (!tail) return;
    for (let i = 0; i < tail.length; i++) {
      const s = Math.floor(tail[i]! / 256);
      const info = tail[i]! % 256;
      if (marks[s]) scores[s] = scores[s]! + idf * boost[info]! * sat[info]!;
    }
  }

  /** The term's postings as fresh arrays (tests and tools; queries use the readers above). */
  postings(t: number): TermPostings {
    const slots = this.slotsOf(t, (n) => new Int32Array(n));
    const infos = new Uint8Array(slots.length);
    const base = this.baseCount(Math.max(t, 0));
    if (t >= 0 && t < this.baseTerms) infos.set(this.baseInfos(t, base));
    const tail = this.tails[t] ?? [];
    for (let i = 0; i < tail.length; i++) infos[base + i] = tail[i]! % 256;
    return { slots, infos };
  }

  /** Bytes of the compacted base postings and their info bytes (for the memory budget). */
  get baseBytes(): number {
    return (this.rows?.bytes ?? this.slots.byteLength) + this.infos.byteLength + this.start.byteLength;
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
