import type { LexemeCount, SearchSourceCategory, SearchSourceProduct } from "../../catalog/search-source.ts";
import { CategoryTable } from "./categories.ts";
import { DocColumns, hashText } from "./docs.ts";
import { SlotOrders } from "./orders.ts";
import { Postings } from "./postings.ts";

/**
 * One in-process index: product columns, postings, the category tree and
 * the title order for suggestions. Single-threaded: every read and write
 * runs to completion on the event loop, so readers never see half an update.
 */
export class IndexStore {
  readonly docs: DocColumns;
  readonly postings: Postings;
  categories: CategoryTable;
  /** Bumped by every change after the build: what `orders` checks its lists against. */
  changes = 0;
  /** Sort orders and category subtrees kept while nothing changes. */
  readonly orders = new SlotOrders(this);
  /** Live slots ordered by (normalised title, id): "titles starting with" is a binary search. */
  private titleOrder: number[] = [];
  /** Scratch buffers sized to the slot capacity, reused by every query (no allocation per request). */
  private marks = new Uint8Array(0);
  private bits = new Uint32Array(0);
  private scores = new Float32Array(0);
  private matches = new Int32Array(0);
  /** Bump arena for intermediate slot lists of one query (unions, intersections). */
  private arena = new Int32Array(0);
  private arenaUsed = 0;
  private readonly range = new Int32Array(2);

  constructor(counts: LexemeCount[], categories: SearchSourceCategory[], expectedProducts: number) {
    this.docs = new DocColumns(expectedProducts);
    this.postings = new Postings(counts);
    this.categories = new CategoryTable(categories);
  }

  /** Adds a product during the build (in id order). */
  load(row: SearchSourceProduct): void {
    const slot = this.docs.append(row, this.categories);
    this.postings.add(slot, row.vector);
  }

  /** Ends the build. */
  seal(): void {
    this.docs.seal();
    this.postings.seal();
    const live: number[] = [];
    for (let s = 0; s < this.docs.size; s++) if (this.docs.live[s]) live.push(s);
    this.titleOrder = live.sort((a, b) => this.compareTitles(a, b));
  }

  /** Replaces the category tree (and re-points every product's category index). */
  setCategories(rows: SearchSourceCategory[]): void {
    this.changes++;
    const before = this.categories;
    this.categories = new CategoryTable(rows);
    const byOld = new Int32Array(before.size).fill(-1);
    for (let i = 0; i < before.size; i++) byOld[i] = this.categories.index(before.ids[i]!);
    const d = this.docs;
    for (let s = 0; s < d.size; s++) {
      const c = d.category[s]!;
      if (c >= 0) d.category[s] = byOld[c]!;
    }
  }

  /**
   * Brings one product up to date: a new text gets a new slot, a change of
   * price, stock, rating or category only rewrites the columns.
   */
  upsert(row: SearchSourceProduct): void {
    this.changes++;
    const d = this.docs;
    const slot = d.slotOf(row.id);
    if (
      slot !== undefined &&
      d.textHash[slot] === hashText(row.vector) &&
      d.normTitles.equals(slot, row.norm_title)
    ) {
      d.setColumns(slot, row, this.categories);
      return;
    }
    if (slot !== undefined) this.removeTitle(slot);
    const fresh = d.append(row, this.categories);
    this.postings.add(fresh, row.vector);
    this.insertTitle(fresh);
  }

  /** Takes a product out (archived or deleted). */
  remove(id: number): void {
    this.changes++;
    const slot = this.docs.slotOf(id);
    if (slot === undefined) return;
    this.removeTitle(slot);
    this.docs.kill(id);
  }

  /** Dead slots (old versions) still holding postings. */
  get deadSlots(): number {
    return this.docs.size - this.docs.alive;
  }

  private compareTitles(a: number, b: number): number {
    const byTitle = this.docs.normTitles.compare(a, b);
    if (byTitle !== 0) return byTitle;
    return this.docs.ids[a]! - this.docs.ids[b]!;
  }

  private titlePosition(slot: number): number {
    let lo = 0;
    let hi = this.titleOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compareTitles(this.titleOrder[mid]!, slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertTitle(slot: number): void {
    this.titleOrder.splice(this.titlePosition(slot), 0, slot);
  }

  private removeTitle(slot: number): void {
    const at = this.titlePosition(slot);
    if (this.titleOrder[at] === slot) this.titleOrder.splice(at, 1);
  }

  /** Up to `limit` live slots whose normalised title starts with `prefix`, in title order. */
  titlesStartingWith(prefix: string, limit: number): number[] {
    let lo = 0;
    let hi = this.titleOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.docs.normTitles.compareText(this.titleOrder[mid]!, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.titleOrder.length && out.length < limit; i++) {
      const s = this.titleOrder[i]!;
      if (!this.docs.normTitles.startsWith(s, prefix)) break;
      out.push(s);
    }
    return out;
  }

  /** A zeroed mark buffer of the slot capacity; callers zero what they set before returning. */
  markBuffer(): Uint8Array {
    if (this.marks.length < this.docs.capacity) this.marks = new Uint8Array(this.docs.capacity);
    return this.marks;
  }

  /** A zeroed bit per slot of the capacity; callers zero what they set before returning. */
  bitBuffer(): Uint32Array {
    const words = (this.docs.capacity + 31) >>> 5;
    if (this.bits.length < words) this.bits = new Uint32Array(words);
    return this.bits;
  }

  /**
   * The buffer filtered matches are written to (one per index: queries run
   * to completion on the event loop, so a match list is never kept across an
   * await; callers copy what they keep).
   */
  matchBuffer(): Int32Array {
    if (this.matches.length < this.docs.capacity) this.matches = new Int32Array(this.docs.capacity);
    return this.matches;
  }

  /** Starts a query: the arena's lists of the previous one are dropped (never kept across an await). */
  resetArena(): void {
    const want = this.docs.capacity * 4;
    if (this.arena.length < want) this.arena = new Int32Array(want);
    this.arenaUsed = 0;
  }

  /**
   * Room for `n` slots from the arena (a fresh array when it is full): the
   * slot lists of a query, which would otherwise be hundreds of kilobytes of
   * garbage per request and lift the resident size under load.
   */
  readonly take = (n: number): Int32Array => {
    if (this.arenaUsed + n > this.arena.length) return new Int32Array(n);
    const out = this.arena.subarray(this.arenaUsed, this.arenaUsed + n);
    this.arenaUsed += n;
    return out;
  };

  /** The shared [first, last] word range of a bit-buffer union, reset to empty. */
  wordRange(): Int32Array {
    this.range[0] = 0x7fffffff;
    this.range[1] = -1;
    return this.range;
  }

  /** A zeroed score buffer of the slot capacity; callers zero what they set before returning. */
  scoreBuffer(): Float32Array {
    if (this.scores.length < this.docs.capacity) this.scores = new Float32Array(this.docs.capacity);
    return this.scores;
  }
}
