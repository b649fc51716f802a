import type { Sql } from "../../../db/client.ts";
import {
  readSearchSnapshot,
  type SearchSourceCategory,
  searchSourceCategories,
  searchSourceProducts,
} from "../../catalog/search-source.ts";
import { eventsAfter, latestEventSeq, type OutboxEntry } from "../../core/outbox.ts";
import { productIdsOf, SEARCH_EVENT_TYPES } from "../event-products.ts";
import { OutboxFollower } from "./follow.ts";
import { IndexStore } from "./store.ts";

/** Events at most this far below the snapshot's newest are re-checked (commits that were in flight). */
const REPLAY_WINDOW = 1000;
/** Rows between forced collections during a build. */
const GC_EVERY = 20_000;

/**
 * Builds an index from one consistent snapshot (lexeme counts, categories,
 * products streamed in id order) and the outbox position of that snapshot,
 * so that following the outbox from there misses nothing: events whose
 * transaction was still open when the snapshot was taken are read later,
 * because the follower starts below them and knows which ones it saw.
 */
export async function buildIndex(sql: Sql): Promise<{ store: IndexStore; follower: OutboxFollower }> {
  let store: IndexStore | null = null;
  let floor = 0;
  let seenAbove: number[] = [];
  let loaded = 0;
  let collectedAt = 0;
  await readSearchSnapshot(sql, {
    before: async (tx) => {
      floor = Math.max(0, (await latestEventSeq(tx)) - REPLAY_WINDOW);
      seenAbove = (await eventsAfter(tx, floor, REPLAY_WINDOW * 2)).map((e) => e.seq);
    },
    lexemes: (counts, categories, active) => {
      store = new IndexStore(counts, categories, Math.ceil(active * 1.1) + 64);
    },
    products: (rows) => {
      for (const r of rows) store!.load(r);
      // Collect the parsed rows now and then: a build must not lift the RSS bound.
      loaded += rows.length;
      if (loaded - collectedAt >= GC_EVERY) {
        collectedAt = loaded;
        Bun.gc(true);
      }
    },
  });
  Bun.gc(true);
  const built = store as IndexStore | null;
  if (!built) throw new Error("search snapshot produced no index");
  built.seal();
  return { store: built, follower: new OutboxFollower(sql, floor, seenAbove) };
}

const WATCHED = new Set<string>(SEARCH_EVENT_TYPES);

/** True when the event may change what the index holds for some product. */
function concernsIndex(e: OutboxEntry): boolean {
  // A refund that restocks moves stock too (in_stock may flip).
  return WATCHED.has(e.type) || (e.type === "order.status_changed" && e.data.restocked === true);
}

/**
 * Applies events to the index: re-reads the current state of every product
 * they name (from the primary: the event may be newer than a replica) and
 * upserts or removes it. Replays and reorderings converge, since the state is
 * read, not taken from the event. Categories are re-read first, so a product
 * moved into a new category finds it.
 */
export async function applyEvents(sql: Sql, store: IndexStore, events: OutboxEntry[]): Promise<number> {
  const relevant = events.filter(concernsIndex);
  if (!relevant.length) return 0;
  const ids = new Set<number>();
  for (const e of relevant) {
    for (const id of await productIdsOf(sql, {
      id: String(e.seq),
      type: e.type,
      occurred_at: "",
      data: e.data,
    }))
      ids.add(id);
  }
  if (!ids.size) return 0;
  const categories: SearchSourceCategory[] = await searchSourceCategories(sql);
  const rows = await searchSourceProducts(sql, [...ids]);
  store.setCategories(categories);
  const found = new Set(rows.map((r) => r.id));
  for (const r of rows) store.upsert(r);
  for (const id of ids) if (!found.has(id)) store.remove(id);
  return ids.size;
}
