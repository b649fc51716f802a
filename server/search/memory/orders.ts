import type { SearchSort } from "../types.ts";
import type { Before } from "./rank.ts";
import type { IndexStore } from "./store.ts";

/** A stale order is rebuilt at most this often; in between, pages fall back to the heap. */
const REBUILD_EVERY_MS = 5_000;

interface Kept {
  /** The store's change count the slots were taken at. */
  at: number;
  builtAt: number;
  slots: Int32Array;
}

/**
 * Live slots kept in each sort's order and each category subtree's slots, for
 * pages without text and for sorts other than relevance. A broad match set
 * (most of the catalog, as on an unfiltered list) then costs a walk of the
 * order until the page is full, instead of a heap over every match; a
 * category filter starts from that subtree's slots, not all 100k.
 *
 * Both are exact or unused: each is tagged with the store's change count and
 * used only while nothing changed. A stale order is rebuilt (a sort of the
 * live slots, ~30 ms on 100k) at most every 5 s, so a catalog under constant
 * writes falls back to the heap rather than sorting on every request; a
 * stale subtree list is recomputed by the same scan the filter would make
 * anyway.
 */
export class SlotOrders {
  private readonly orders = new Map<SearchSort, Kept>();
  private readonly subtrees = new Map<string, Kept>();
  private everything: Kept | null = null;

  constructor(private readonly store: IndexStore) {}

  /** The live slots in `sort`'s order, or null when a rebuild is not due yet. */
  order(sort: SearchSort, before: Before): Int32Array | null {
    const kept = this.orders.get(sort);
    const now = performance.now();
    if (kept && kept.at === this.store.changes) return kept.slots;
    if (kept && now - kept.builtAt < REBUILD_EVERY_MS) return null;
    const slots = this.liveSlots(() => true);
    slots.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.orders.set(sort, { at: this.store.changes, builtAt: now, slots });
    return slots;
  }

  /** Every live slot, ascending (a list with no filter at all matches exactly these). */
  live(): Int32Array {
    if (this.everything && this.everything.at === this.store.changes) return this.everything.slots;
    const slots = this.liveSlots(() => true);
    this.everything = { at: this.store.changes, builtAt: performance.now(), slots };
    return slots;
  }

  /** Live slots whose category is in `mask` (the subtree of `slug`), ascending. */
  subtree(slug: string, mask: Uint8Array): Int32Array {
    const kept = this.subtrees.get(slug);
    if (kept && kept.at === this.store.changes) return kept.slots;
    const category = this.store.docs.category;
    const slots = this.liveSlots((s) => {
      const c = category[s]!;
      return c >= 0 && mask[c] === 1;
    });
    this.subtrees.set(slug, { at: this.store.changes, builtAt: performance.now(), slots });
    return slots;
  }

  private liveSlots(keep: (slot: number) => boolean): Int32Array {
    const d = this.store.docs;
    const out = new Int32Array(d.alive);
    let n = 0;
    for (let s = 0; s < d.size; s++) if (d.live[s] === 1 && keep(s)) out[n++] = s;
    return n === out.length ? out : out.slice(0, n);
  }
}

/**
 * The first `want` of `matches` in `order`: marks the matches in the bit
 * buffer and walks the order until `want` marked slots were seen. Worth it
 * when matches are dense in the order (see `walkPays`).
 */
export function walkOrder(store: IndexStore, order: Int32Array, matches: Int32Array, want: number): number[] {
  // Every live slot matched (no filter): the page is the order's head.
  if (matches.length === order.length) return Array.from(order.subarray(0, want));
  const bits = store.bitBuffer();
  for (let i = 0; i < matches.length; i++) {
    const s = matches[i]!;
    bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
  }
  const page: number[] = [];
  for (let i = 0; i < order.length && page.length < want; i++) {
    const s = order[i]!;
    if ((bits[s >>> 5]! & (1 << (s & 31))) !== 0) page.push(s);
  }
  for (let i = 0; i < matches.length; i++) bits[matches[i]! >>> 5] = 0;
  return page;
}

/**
 * True when walking the order is expected to beat the heap: the walk visits
 * about want × live / matches slots, the heap touches every match once.
 */
export function walkPays(matches: number, want: number, live: number): boolean {
  return matches > 0 && want * live < matches * matches;
}
