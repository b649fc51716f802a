import { OldestKey } from "../../../platform/oldest-key.ts";

/** Loads the items of these product ids (active ones only), keyed by id, at least as fresh as `minLsn`. */
export type ItemLoader<T> = (ids: number[], minLsn: bigint | null) => Promise<Map<number, T>>;

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
export class ItemCache<T> {
  private readonly items = new Map<number, T>();
  /** Bumped by every invalidation: a load that started under another epoch is not kept. */
  private epoch = 0;
  /** WAL position every load must have replayed (that of the newest invalidation). */
  private floorLsn: bigint | null = null;
  /** The least recently used key (hits are deleted and set again at the end). */
  private readonly oldest = new OldestKey(this.items);
  constructor(
    private readonly load: ItemLoader<T>,
    private readonly capacity: number,
    /** Told how many of each lookup's items were held and how many were read. */
    private readonly counted: (hits: number, misses: number) => void = () => {},
  ) {}

  /** The active items of `ids`, in that order (ids no longer active are skipped). */
  async get(ids: number[], minLsn: bigint | null = null): Promise<T[]> {
    const found: (T | undefined)[] = new Array(ids.length);
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const item = this.items.get(id);
      if (item !== undefined) {
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
        if (found[i] !== undefined) continue;
        const item = loaded.get(ids[i]!);
        found[i] = item;
        if (item !== undefined && keep) this.put(ids[i]!, item);
      }
    }
    return found.filter((x): x is T => x !== undefined);
  }

  /** The active items of `ids`, in that order, all read at `minLsn` or later (none taken from or kept in the cache). */
  async read(ids: number[], minLsn: bigint | null): Promise<T[]> {
    const loaded = await this.load(ids, maxLsn(minLsn, this.floorLsn));
    return ids.flatMap((id) => loaded.get(id) ?? []);
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
  }

  get size(): number {
    return this.items.size;
  }

  private put(id: number, item: T): void {
    this.items.set(id, item);
    if (this.items.size > this.capacity) this.oldest.evict();
  }
}

function maxLsn(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
