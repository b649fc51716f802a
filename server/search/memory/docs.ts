import type { SearchSourceProduct } from "../../catalog/search-source.ts";
import { PRICE_EDGES, RATING_MINS } from "../facet-buckets.ts";
import type { CategoryTable } from "./categories.ts";
import { TitleStore } from "./titles.ts";

/** `width_bucket(price, PRICE_EDGES) - 1`: the price facet bucket, 255 below the first edge. */
function priceBucket(price: number): number {
  for (let e = PRICE_EDGES.length - 1; e >= 0; e--) if (price >= PRICE_EDGES[e]!) return e;
  return 255;
}

/** How many rating facet thresholds (4, 3, 2, 1) the average reaches. */
function ratingLevel(rating: number): number {
  let n = 0;
  for (const m of RATING_MINS) if (rating >= m) n++;
  return n;
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/**
 * Per-product columns as typed arrays, one slot per product version: the
 * filters, sorts and facets read them in tight loops. A product whose text
 * changes gets a new slot (its postings are appended) and the old slot dies;
 * a change of price, stock or rating is written in place.
 */
export class DocColumns {
  size = 0;
  alive = 0;
  ids: Float64Array;
  category: Int32Array;
  brand: Int32Array;
  price: Float64Array;
  ratingSum: Float64Array;
  ratingCount: Int32Array;
  inStock: Uint8Array;
  created: Float64Array;
  /** `product_rating(rating_sum, rating_count)`: the average, 0 when unrated. */
  rating: Float64Array;
  bucket: Uint8Array;
  ratingLevel: Uint8Array;
  live: Uint8Array;
  /** A hash of the vector text: an unchanged text keeps its slot. */
  textHash: Int32Array;
  /** `search_norm(title)`: the suggestion order (titles and slugs themselves are read from Postgres). */
  readonly normTitles = new TitleStore();
  /**
   * Slots of the build are in id order (the snapshot is read by id), so the
   * live slot of an id is found by binary search there; only products
   * written after the build (new slots) are in this map. A map of every id
   * would cost ~7 MB on 100k products.
   */
  private readonly laterSlot = new Map<number, number>();
  /** Slots [0, baseSize) came from the build, in ascending id order. */
  private baseSize = 0;
  private sealed = false;
  readonly brandNames: string[] = [];
  private readonly brandIndex = new Map<string, number>();

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.ids = new Float64Array(n);
    this.category = new Int32Array(n);
    this.brand = new Int32Array(n);
    this.price = new Float64Array(n);
    this.ratingSum = new Float64Array(n);
    this.ratingCount = new Int32Array(n);
    this.inStock = new Uint8Array(n);
    this.created = new Float64Array(n);
    this.rating = new Float64Array(n);
    this.bucket = new Uint8Array(n);
    this.ratingLevel = new Uint8Array(n);
    this.live = new Uint8Array(n);
    this.textHash = new Int32Array(n);
  }

  get capacity(): number {
    return this.ids.length;
  }

  /** The brand's dense index (`-1` for a brand no product has). */
  brandOf(name: string): number {
    return this.brandIndex.get(name) ?? -1;
  }

  private internBrand(name: string): number {
    let i = this.brandIndex.get(name);
    if (i === undefined) {
      i = this.brandNames.length;
      this.brandNames.push(name);
      this.brandIndex.set(name, i);
    }
    return i;
  }

  private ensure(size: number): void {
    if (size <= this.capacity) return;
    const n = Math.max(size, Math.ceil(this.capacity * 1.5));
    this.ids = grown(this.ids, n);
    this.category = grown(this.category, n);
    this.brand = grown(this.brand, n);
    this.price = grown(this.price, n);
    this.ratingSum = grown(this.ratingSum, n);
    this.ratingCount = grown(this.ratingCount, n);
    this.inStock = grown(this.inStock, n);
    this.created = grown(this.created, n);
    this.rating = grown(this.rating, n);
    this.bucket = grown(this.bucket, n);
    this.ratingLevel = grown(this.ratingLevel, n);
    this.live = grown(this.live, n);
    this.textHash = grown(this.textHash, n);
  }

  /** Ends the build: later appends are tracked by id. */
  seal(): void {
    this.baseSize = this.size;
    this.sealed = true;
  }

  /** The live slot of a product id, if it has one. */
  slotOf(id: number): number | undefined {
    const later = this.laterSlot.get(id);
    if (later !== undefined) return later;
    let lo = 0;
    let hi = this.sealed ? this.baseSize : this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < (this.sealed ? this.baseSize : this.size) && this.ids[lo] === id && this.live[lo] === 1
      ? lo
      : undefined;
  }

  /** Writes the non-text columns of a slot. */
  setColumns(slot: number, row: SearchSourceProduct, categories: CategoryTable): void {
    this.category[slot] = categories.index(row.category_id);
    this.brand[slot] = this.internBrand(row.brand);
    this.price[slot] = row.min_price;
    this.ratingSum[slot] = row.rating_sum;
    this.ratingCount[slot] = row.rating_count;
    this.inStock[slot] = row.in_stock ? 1 : 0;
    this.created[slot] = row.created_us;
    // The same double division as SQL's product_rating(), so thresholds and sorts agree exactly.
    const rating = row.rating_count > 0 ? row.rating_sum / row.rating_count : 0;
    this.rating[slot] = rating;
    this.ratingLevel[slot] = ratingLevel(rating);
    this.bucket[slot] = priceBucket(row.min_price);
    this.normTitles.ensure(slot + 1);
    this.normTitles.set(slot, row.norm_title);
  }

  /** A new live slot for this product version (the previous one, if any, dies). */
  append(row: SearchSourceProduct, categories: CategoryTable): number {
    this.kill(row.id);
    const slot = this.size++;
    this.ensure(this.size);
    this.ids[slot] = row.id;
    this.textHash[slot] = hashText(row.vector);
    this.live[slot] = 1;
    this.alive++;
    if (this.sealed) this.laterSlot.set(row.id, slot);
    this.setColumns(slot, row, categories);
    return slot;
  }

  /** Marks the product's slot dead; false when it had none. */
  kill(id: number): boolean {
    const slot = this.slotOf(id);
    if (slot === undefined) return false;
    this.laterSlot.delete(id);
    this.live[slot] = 0;
    this.alive--;
    return true;
  }
}

/** A 32-bit hash of a text (equal texts, equal hashes). */
export function hashText(text: string): number {
  return Number(BigInt.asIntN(32, BigInt(Bun.hash.wyhash(text))));
}
