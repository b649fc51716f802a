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
 * The postings of the terms known at the build, compacted once the build
 * is over (`Postings.seal`), in ascending slot order per term:
 *
 * - a frequent term as a bit set over the slots of the build;
 * - any other term as the low 16 bits of its slots, in blocks of 65,536
 *   slots (the block is the high part, kept as each block's end per term):
 *   2 bytes a posting instead of 4. 100k slots are two blocks.
 *
 * Readers decode into a caller's buffer, set bits, test membership or add
 * scores; each walks the postings once, as a walk of a 32-bit list did.
 */
export class CompactRows {
  /** Per term: where its 16-bit slots start in `low`, or `-1 - n` for bit set n. */
  private readonly at: Int32Array;
  /** Per term and block: the end (exclusive, in `low`) of the term's slots in that block. */
  private readonly ends: Int32Array;
  private readonly low: Uint16Array;
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
    this.at = new Int32Array(terms);
    this.ends = new Int32Array(terms * this.blocks);
    let lowTotal = 0;
    let dense = 0;
    for (let t = 0; t < terms; t++) {
      const n = start[t + 1]! - start[t]!;
      if (n >= DENSE_MIN && n * DENSE_SHARE >= slotCount) this.at[t] = -1 - dense++;
      else lowTotal += n;
    }
    this.low = new Uint16Array(lowTotal);
    this.sets = new Uint32Array(dense * this.words);
    let pos = 0;
    for (let t = 0; t < terms; t++) {
      const from = start[t]!;
      const to = start[t + 1]!;
      const at = this.at[t]!;
      if (at < 0) {
        const base = (-1 - at) * this.words;
        for (let k = from; k < to; k++) {
          const s = slots[k]!;
          this.sets[base + (s >>> 5)] = this.sets[base + (s >>> 5)]! | (1 << (s & 31));
        }
        continue;
      }
      this.at[t] = pos;
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

  /** True when term `t` is kept as a bit set. */
  isSet(t: number): boolean {
    return this.at[t]! < 0;
  }

  /** Bytes held (for the memory budget). */
  get bytes(): number {
    return this.at.byteLength + this.ends.byteLength + this.low.byteLength + this.sets.byteLength;
  }

  /** Writes term `t`'s slots, ascending, into `out` from index 0; returns how many. */
  decode(t: number, out: Int32Array): number {
    const at = this.at[t]!;
    let n = 0;
    if (at < 0) {
      const base = (-1 - at) * this.words;
      for (let w = 0; w < this.words; w++) {
        let v = this.sets[base + w]!;
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
      for (; k < end; k++) out[n++] = high | this.low[k]!;
    }
    return n;
  }

  /**
   * Sets term `t`'s slots in `bits` and widens `range` ([first word, last
   * word] touched) to cover them.
   */
  setBits(t: number, bits: Uint32Array, range: Int32Array): void {
    const at = this.at[t]!;
    if (at < 0) {
      const base = (-1 - at) * this.words;
      for (let w = 0; w < this.words; w++) bits[w] = bits[w]! | this.sets[base + w]!;
      if (range[0]! > 0) range[0] = 0;
      if (range[1]! < this.words - 1) range[1] = this.words - 1;
      return;
    }
    let k = at;
    const row = t * this.blocks;
    let first = -1;
    let last = -1;
    for (let b = 0; b < this.blocks; b++) {
      const end = this.ends[row + b]!;
      const high = b << 16;
      for (; k < end; k++) {
        const s = high | this.low[k]!;
        bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
        if (first < 0) first = s >>> 5;
        last = s >>> 5;
      }
    }
    if (first >= 0 && first < range[0]!) range[0] = first;
    if (last > range[1]!) range[1] = last;
  }

  /** True when bit-set term `t` holds slot `s` (only for terms where `isSet`). */
  setHas(t: number, s: number): boolean {
    if (s >>> 5 >= this.words) return false;
    return (this.sets[(-1 - this.at[t]!) * this.words + (s >>> 5)]! & (1 << (s & 31))) !== 0;
  }

  /**
   * For each of term `t`'s postings in order whose slot is marked, adds
   * `byInfo[info]` to its score; `infos` are the term's info bytes, one per
   * posting in slot order.
   */
  addScores(
    t: number,
    infos: Uint8Array,
    byInfo: Float64Array,
    marks: Uint8Array,
    scores: Float32Array,
  ): void {
    const at = this.at[t]!;
    let i = 0;
    if (at < 0) {
      const base = (-1 - at) * this.words;
      for (let w = 0; w < this.words; w++) {
        let v = this.sets[base + w]!;
        while (v !== 0) {
          const bit = v & -v;
          const s = (w << 5) + 31 - Math.clz32(bit);
          v ^= bit;
          if (marks[s]) scores[s] = scores[s]! + byInfo[infos[i]!]!;
          i++;
        }
      }
      return;
    }
    let k = at;
    const row = t * this.blocks;
    for (let b = 0; b < this.blocks; b++) {
      const end = this.ends[row + b]!;
      const high = b << 16;
      for (; k < end; k++, i++) {
        const s = high | this.low[k]!;
        if (marks[s]) scores[s] = scores[s]! + byInfo[infos[i]!]!;
      }
    }
  }
}
