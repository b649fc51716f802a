/**
 * The normalised titles of every slot as UTF-16 code units in one growing
 * array, with each slot's offset and length. One object instead of 100k
 * strings: a full garbage collection no longer visits a string per product,
 * which is what made a tight heap budget (see server/runtime-env.ts) cost CPU.
 * Comparisons are by code unit, as JavaScript's `<` on strings. Units are
 * bytes while every title is Latin-1 (normalised titles almost always are),
 * and widen to 16 bits for good at the first one that is not.
 */
export class TitleStore {
  private units: Uint8Array | Uint16Array = new Uint8Array(1 << 16);
  private used = 0;
  private start = new Int32Array(0);
  private length = new Int32Array(0);

  /** Makes room for `slots` slots. */
  ensure(slots: number): void {
    if (this.start.length >= slots) return;
    const size = Math.max(slots, this.start.length * 2, 1024);
    const start = new Int32Array(size);
    const length = new Int32Array(size);
    start.set(this.start);
    length.set(this.length);
    this.start = start;
    this.length = length;
  }

  /** Sets the slot's title (a title equal to the current one is kept where it is). */
  set(slot: number, title: string): void {
    if (this.length[slot]! === title.length && this.equals(slot, title)) return;
    const wide = this.units instanceof Uint8Array && !isLatin1(title);
    if (wide || this.used + title.length > this.units.length) {
      const size = Math.max(this.units.length * 2, this.used + title.length);
      const grown = wide || this.units instanceof Uint16Array ? new Uint16Array(size) : new Uint8Array(size);
      grown.set(this.units.subarray(0, this.used));
      this.units = grown;
    }
    const at = this.used;
    for (let i = 0; i < title.length; i++) this.units[at + i] = title.charCodeAt(i);
    this.used += title.length;
    this.start[slot] = at;
    this.length[slot] = title.length;
  }

  /** The slot's title as a string. */
  get(slot: number): string {
    const at = this.start[slot]!;
    return String.fromCharCode(...this.units.subarray(at, at + this.length[slot]!));
  }

  /** True when the slot's title is `text`. */
  equals(slot: number, text: string): boolean {
    const n = this.length[slot]!;
    if (n !== text.length) return false;
    const at = this.start[slot]!;
    for (let i = 0; i < n; i++) if (this.units[at + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /** Negative, zero or positive as slot `a`'s title sorts before, with or after slot `b`'s. */
  compare(a: number, b: number): number {
    const u = this.units;
    const x = this.start[a]!;
    const y = this.start[b]!;
    const nx = this.length[a]!;
    const ny = this.length[b]!;
    const n = Math.min(nx, ny);
    for (let i = 0; i < n; i++) {
      const d = u[x + i]! - u[y + i]!;
      if (d !== 0) return d;
    }
    return nx - ny;
  }

  /** Negative, zero or positive as the slot's title sorts before, equal to or after `text`. */
  compareText(slot: number, text: string): number {
    const at = this.start[slot]!;
    const nx = this.length[slot]!;
    const n = Math.min(nx, text.length);
    for (let i = 0; i < n; i++) {
      const d = this.units[at + i]! - text.charCodeAt(i);
      if (d !== 0) return d;
    }
    return nx - text.length;
  }

  /** True when the slot's title starts with `prefix`. */
  startsWith(slot: number, prefix: string): boolean {
    if (this.length[slot]! < prefix.length) return false;
    const at = this.start[slot]!;
    for (let i = 0; i < prefix.length; i++) if (this.units[at + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 255) return false;
  return true;
}
