/**
 * Evicts a Map's oldest entry (first in insertion order) through one
 * iterator kept between evictions. A fresh `keys().next()` per eviction
 * skipped every entry deleted since the Map last compacted (JSC keeps them
 * as holes at the front): 5–100 µs an eviction at 5,000–10,000 entries.
 * Every live entry lies after the iterator (those it passed were evicted;
 * a Map adds at the end, and a key deleted and set again goes there too),
 * so its next key is the oldest whatever else deletes or clears meanwhile.
 */
export class OldestKey<K> {
  private keys: MapIterator<K>;
  constructor(private readonly map: Map<K, unknown>) {
    this.keys = map.keys();
  }

  /** Deletes the oldest entry (none when the Map is empty). */
  evict(): void {
    let next = this.keys.next();
    // A finished iterator stays finished: start again from the front.
    if (next.done) {
      this.keys = this.map.keys();
      next = this.keys.next();
    }
    if (!next.done) this.map.delete(next.value);
  }
}
