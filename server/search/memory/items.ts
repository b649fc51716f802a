import type { ProductListItem } from "../../catalog/present.ts";

/** Loads the items of these product ids (active ones only), keyed by id, at least as fresh as `minLsn`. */
export type ItemLoader = (ids: number[], minLsn: bigint | null) => Promise<Map<number, ProductListItem>>;

/**
 * The list items the index answers with, kept per product so that a search
 * reads from Postgres only the products it has not shown since their last
 * change. Kept exact by the same change log as the index (every write that
 * changes an item names its product there, migration 0104): the follower
 * calls `invalidate` before the index counts those changes as applied.
 *
 * A load that was in flight while an invalidation ran is used for its
 * request but not kept (it may predate the change); loads read at least at
 * the WAL position of the last invalidation, so a lagging replica cannot
 * hand back a version older than one already dropped. Least recently used
 * items leave first once `capacity` is reached.
 */
export class ItemCache {
  private readonly items = new Map<number, ProductListItem>();
  private readonly shared = new SharedValues();
  /** Bumped by every invalidation: a load that started under another epoch is not kept. */
  private epoch = 0;
  /** WAL position every load must have replayed (that of the newest invalidation). */
  private floorLsn: bigint | null = null;
  constructor(
    private readonly load: ItemLoader,
    private readonly capacity: number,
    /** Told how many of each lookup's items were held and how many were read. */
    private readonly counted: (hits: number, misses: number) => void = () => {},
  ) {}

  /** The active items of `ids`, in that order (ids no longer active are skipped). */
  async get(ids: number[], minLsn: bigint | null = null): Promise<ProductListItem[]> {
    const found: (ProductListItem | undefined)[] = new Array(ids.length);
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const item = this.items.get(id);
      if (item) {
        // Re-inserted: a Map keeps insertion order, so the first key is the least recently used.
        this.items.delete(id);
        this.items.set(id, item);
        found[i] = item;
      } else missing.push(id);
    }
    this.counted(ids.length - missing.length, missing.length);
    if (missing.length) {
      const epoch = this.epoch;
      const floor = maxLsn(minLsn, this.floorLsn);
      const loaded = await this.load(missing, floor);
      const keep = epoch === this.epoch;
      for (let i = 0; i < ids.length; i++) {
        if (found[i]) continue;
        const item = loaded.get(ids[i]!);
        found[i] = item;
        if (item && keep) this.put(ids[i]!, item);
      }
    }
    return found.filter((x): x is ProductListItem => x !== undefined);
  }

  /** Drops these products' items; `lsn`: a WAL position at or after the commits that changed them. */
  invalidate(ids: Iterable<number>, lsn: bigint): void {
    this.epoch++;
    this.floorLsn = maxLsn(this.floorLsn, lsn);
    for (const id of ids) this.items.delete(id);
  }

  /** Drops every item (a category changed: its name is on every item). */
  clear(lsn: bigint): void {
    this.epoch++;
    this.floorLsn = maxLsn(this.floorLsn, lsn);
    this.items.clear();
    this.shared.clear();
  }

  get size(): number {
    return this.items.size;
  }

  private put(id: number, item: ProductListItem): void {
    this.items.set(id, this.shared.compact(item));
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value!);
  }
}

/** Distinct strings kept for sharing before the table starts afresh (a catalog whose values never repeat). */
const SHARED_STRINGS = 4096;

/**
 * Values that many items repeat (brand, category, image paths, currencies,
 * variant titles) held once instead of once per item: each item read from
 * Postgres brings its own copies, and 5,000 kept items made ~5 MB of the
 * instance's memory. The item keeps exactly the same values. Categories are
 * shared only while their slug and name are unchanged (`clear` runs on a
 * category change anyway).
 */
class SharedValues {
  private readonly strings = new Map<string, string>();
  private readonly categories = new Map<number, ProductListItem["category"]>();

  /** The item with its repeated values replaced by the shared ones, in place (items are never mutated after). */
  compact(item: ProductListItem): ProductListItem {
    item.brand = this.text(item.brand);
    item.category = this.category(item.category);
    for (let i = 0; i < item.images.length; i++) item.images[i] = this.text(item.images[i]!);
    item.price.currency = this.text(item.price.currency);
    item.max_price.currency = this.text(item.max_price.currency);
    for (const v of item.variants) {
      v.title = this.text(v.title);
      v.price.currency = this.text(v.price.currency);
    }
    return item;
  }

  clear(): void {
    this.strings.clear();
    this.categories.clear();
  }

  private text(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= SHARED_STRINGS) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  private category(c: ProductListItem["category"]): ProductListItem["category"] {
    const known = this.categories.get(c.id);
    if (known && known.slug === c.slug && known.name === c.name) return known;
    this.categories.set(c.id, c);
    return c;
  }
}

function maxLsn(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
