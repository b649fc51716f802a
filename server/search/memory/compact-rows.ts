/**
 * A term is kept as a bit set when it is in at least 1/DENSE_SHARE of the
 * slots: the bit set (one bit a slot) is then at most half the bytes of its
 * 16-bit slot list. On the 100k seed: 71 terms ("the", "and", "colour" …)
 * with 1.72M postings, 0.9 MB as bit sets against 6.9 MB as 32-bit slots.
 */
const DENSE_SHARE = 8;
/** Fewer postings than this stay a list, whatever the slot count (tiny indexes in tests). */
const DENSE_MIN = 64;
/**
 * Terms with fewer postings than this (and not bit sets) keep 16-bit
 * slots; longer ones 32-bit slots, read in place. Decoding 16 bits costs
 * about a nanosecond a posting, ~10 µs for a colour word of 8,000 products
 * that queries ask for all the time; the 1,834 terms under 2,048 postings
 * (1.36M postings, 5.2 MB as 32-bit slots) halve for at most ~2 µs a term.
 */
const LOW_BELOW = 2048;
const SET = 0;
const LOW = 1;
const WIDE = 2;

/**
 * The postings of the terms known at the build, compacted once the build
 * is over (`Postings.seal`), in ascending slot order per term:
 *
 * - a frequent term as a bit set over the slots of the build;
 * - a rare one as the low 16 bits of its slots, in blocks of 65,536 slots
 *   (the block is the high part, kept as each block's end per term): 2
 *   bytes a posting instead of 4; 100k slots are two blocks;
 * - the others as 32-bit slots (read in place, as before the compaction).
 *
 * Readers decode into a caller's buffer, set bits, keep the slots of a list
 * the term holds, or add scores; each walks the postings once.
 */
export class CompactRows {
  /** Per term: SET, LOW or WIDE. */
  private readonly kind: Uint8Array;
  /** Per term: its bit set's index, or where its slots start in `low` or `wide`. */
  private readonly at: Int32Array;
  /** Per term: how many postings. */
  private readonly len: Int32Array;
  /** Per LOW term and block: the end (exclusive, in `low`) of the term's slots in that block. */
  private readonly ends: Int32Array;
  private readonly low: Uint16Array;
  private readonly wide: Int32Array;
  private readonly sets: Uint32Array;
  /** 32-bit words per bit set: the slots of the build, rounded up. */
  readonly words: number;
  private readonly blocks: number;

  /**
   * `slots` holds every term's slots back to back, term t's from `start[t]`
   * to `start[t + 1]`, each run ascending and below `slotCount`.
   */
  constructor(start: Int32Array, slots: Int32Array, terms: number, slotCount: number) {
    this.words = Math.max(1, (slotCount + 31) >>> 5);
    this.blocks = Math.max(1, Math.ceil(slotCount / 65536));
    this.kind = new Uint8Array(terms);
    this.at = new Int32Array(terms);
    this.len = new Int32Array(terms);
    this.ends = new Int32Array(terms * this.blocks);
    const size = [0, 0, 0];
    for (let t = 0; t < terms; t++) {
      const n = start[t + 1]! - start[t]!;
      const kind = n >= DENSE_MIN && n * DENSE_SHARE >= slotCount ? SET : n < LOW_BELOW ? LOW : WIDE;
      this.kind[t] = kind;
      this.len[t] = n;
      this.at[t] = size[kind]!;
      size[kind] = size[kind]! + (kind === SET ? 1 : n);
    }
    this.sets = new Uint32Array(size[SET]! * this.words);
    this.low = new Uint16Array(size[LOW]!);
    this.wide = new Int32Array(size[WIDE]!);
    for (let t = 0; t < terms; t++) {
      const from = start[t]!;
      const to = start[t + 1]!;
      const at = this.at[t]!;
      if (this.kind[t] === WIDE) this.wide.set(slots.subarray(from, to), at);
      else if (this.kind[t] === SET) {
        const base = at * this.words;
        for (let k = from; k < to; k++) {
          const s = slots[k]!;
          this.sets[base + (s >>> 5)] = this.sets[base + (s >>> 5)]! | (1 << (s & 31));
        }
      } else {
        let pos = at;
        let b = 0;
        const row = t * this.blocks;
        for (let k = from; k < to; k++) {
          const s = slots[k]!;
          while (s >>> 16 > b) this.ends[row + b++] = pos;
          this.low[pos++] = s & 0xffff;
        }
        while (b < this.blocks) this.ends[row + b++] = pos;
      }
    }
  }

  /** True when term `t` is kept as a bit set. */
  isSet(t: number): boolean {
    return this.kind[t] === SET;
  }

  /** Term `t`'s slots when they are kept as 32-bit slots (a view), else null. */
  view(t: number): Int32Array | null {
    if (this.kind[t] !== WIDE) return null;
    const at = this.at[t]!;
    return this.wide.subarray(at, at + this.len[t]!);
  }

  /** Bytes held (for the memory budget). */
  get bytes(): number {
    return (
      this.kind.byteLength +
      this.at.byteLength +
      this.len.byteLength +
      this.ends.byteLength +
      this.low.byteLength +
      this.wide.byteLength +
      this.sets.byteLength
    );
  }

  /** Writes term `t`'s slots, ascending, into `out` from index 0; returns how many. */
  decode(t: number, out: Int32Array): number {
    const at = this.at[t]!;
    const kind = this.kind[t]!;
    if (kind === WIDE) {
      out.set(this.wide.subarray(at, at + this.len[t]!));
      return this.len[t]!;
    }
    let n = 0;
    if (kind === SET) {
      const { sets, words } = this;
      const base = at * words;
      for (let w = 0; w < words; w++) {
        let v = sets[base + w]!;
        while (v !== 0) {
          const bit = v & -v;
          out[n++] = (w << 5) + 31 - Math.clz32(bit);
          v ^= bit;
        }
      }
      return n;
    }
    let k = at;
    const row = t * this.blocks;
    for (let b = 0; b < this.blocks; b++) {
      const end = this.ends[row + b]!;
      const high = b << 16;
      const part = this.low.subarray(k, end);
      for (let j = 0; j < part.length; j++) out[n + j] = high | part[j]!;
      n += part.length;
      k = end;
    }
    return n;
  }

  /**
   * Sets term `t`'s slots in `bits` and widens `range` ([first word, last
   * word] touched) to cover them.
   */
  setBits(t: number, bits: Uint32Array, range: Int32Array): void {
    const at = this.at[t]!;
    const kind = this.kind[t]!;
    const n = this.len[t]!;
    if (n === 0) return;
    if (kind === SET) {
      const { sets, words } = this;
      const base = at * words;
      for (let w = 0; w < words; w++) bits[w] = bits[w]! | sets[base + w]!;
      if (range[0]! > 0) range[0] = 0;
      if (range[1]! < words - 1) range[1] = words - 1;
      return;
    }
    let first: number;
    let last: number;
    if (kind === WIDE) {
      const wide = this.wide;
      for (let k = at; k < at + n; k++) {
        const s = wide[k]!;
        bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
      }
      first = wide[at]! >>> 5;
      last = wide[at + n - 1]! >>> 5;
    } else {
      const low = this.low;
      let k = at;
      const row = t * this.blocks;
      first = -1;
      last = -1;
      for (let b = 0; b < this.blocks; b++) {
        const end = this.ends[row + b]!;
        if (k === end) continue;
        const high = b << 16;
        if (first < 0) first = (high | low[k]!) >>> 5;
        for (; k < end; k++) {
          const s = high | low[k]!;
          bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
        }
        last = (high | low[end - 1]!) >>> 5;
      }
    }
    if (first < range[0]!) range[0] = first;
    if (last > range[1]!) range[1] = last;
  }

  /**
   * Writes the slots of ascending `list` that term `t` holds into `out`
   * (from 0); returns how many. A bit set is one bit test a slot; a list is
   * merged in place (never decoded).
   */
  keep(t: number, list: Int32Array, out: Int32Array): number {
    const at = this.at[t]!;
    const kind = this.kind[t]!;
    let n = 0;
    if (kind === SET) {
      const { sets, words } = this;
      const base = at * words;
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        if (s >>> 5 < words && (sets[base + (s >>> 5)]! & (1 << (s & 31))) !== 0) out[n++] = s;
      }
      return n;
    }
    let i = 0;
    if (kind === WIDE) {
      const wide = this.wide;
      const end = at + this.len[t]!;
      let k = at;
      while (k < end && i < list.length) {
        const x = list[i]!;
        const y = wide[k]!;
        if (x === y) {
          out[n++] = x;
          i++;
          k++;
        } else if (x < y) i++;
        else k++;
      }
      return n;
    }
    const low = this.low;
    let k = at;
    const row = t * this.blocks;
    for (let b = 0; b < this.blocks && i < list.length; b++) {
      const end = this.ends[row + b]!;
      const high = b << 16;
      while (k < end && i < list.length) {
        const x = list[i]!;
        const y = high | low[k]!;
        if (x === y) {
          out[n++] = x;
          i++;
          k++;
        } else if (x < y) i++;
        else k++;
      }
      k = end;
    }
    return n;
  }

  /**
   * For each of term `t`'s postings in order whose slot is marked, adds
   * `idf * boost[info] * sat[info]` to its score (the relevance formula's
   * order of operations); `infos` are the term's info bytes, one per posting
   * in slot order.
   */
  addScores(
    t: number,
    infos: Uint8Array,
    idf: number,
    boost: Float64Array,
    sat: Float64Array,
    marks: Uint8Array,
    scores: Float32Array,
  ): void {
    const at = this.at[t]!;
    const kind = this.kind[t]!;
    if (kind === SET) {
      const { sets, words } = this;
      const base = at * words;
      let i = 0;
      for (let w = 0; w < words; w++) {
        let v = sets[base + w]!;
        while (v !== 0) {
          const bit = v & -v;
          const s = (w << 5) + 31 - Math.clz32(bit);
          v ^= bit;
          if (marks[s]) {
            const info = infos[i]!;
            scores[s] = scores[s]! + idf * boost[info]! * sat[info]!;
          }
          i++;
        }
      }
      return;
    }
    if (kind === WIDE) {
      const slots = this.wide.subarray(at, at + this.len[t]!);
      for (let k = 0; k < slots.length; k++) {
        const s = slots[k]!;
        if (!marks[s]) continue;
        const info = infos[k]!;
        scores[s] = scores[s]! + idf * boost[info]! * sat[info]!;
      }
      return;
    }
    let k = at;
    const row = t * this.blocks;
    for (let b = 0; b < this.blocks; b++) {
      const end = this.ends[row + b]!;
      const high = b << 16;
      // Views whose length bounds the loop: the JIT drops the per-read range checks.
      const part = this.low.subarray(k, end);
      const partInfos = infos.subarray(k - at, end - at);
      for (let j = 0; j < part.length; j++) {
        const s = high | part[j]!;
        if (!marks[s]) continue;
        const info = partInfos[j]!;
        scores[s] = scores[s]! + idf * boost[info]! * sat[info]!;
      }
      k = end;
    }
  }
}
