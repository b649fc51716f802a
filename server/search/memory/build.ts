import type { Sql } from "../../../db/client.ts";
import {
  latestProductChange,
  type ProductChange,
  productChangesAfter,
  readSearchSnapshot,
  searchSourceCategories,
  searchSourceProducts,
} from "../../catalog/search-source.ts";
import { LogFollower } from "./follow.ts";
import { IndexStore } from "./store.ts";

/** Change-log entries at most this far below the snapshot's newest are re-checked (commits that were in flight). */
const REPLAY_WINDOW = 1000;
/** Rows between forced collections during a build. */
const GC_EVERY = 5_000;

/** A built index and the follower of the change log from the index's snapshot on. */
export interface BuiltIndex {
  store: IndexStore;
  follower: LogFollower<ProductChange>;
}

/**
 * Builds an index from one consistent snapshot (lexeme counts, categories,
 * products streamed in id order) and the change-log position of that
 * snapshot, so that following the log from there misses nothing: entries
 * whose transaction was still open when the snapshot was taken are read
 * later, because the follower starts below them and knows which ones it saw.
 */
export async function buildIndex(sql: Sql): Promise<BuiltIndex> {
  let store: IndexStore | null = null;
  let floor = 0;
  let seenAbove: number[] = [];
  let loaded = 0;
  let collectedAt = 0;
  await readSearchSnapshot(sql, {
    before: async (tx) => {
      floor = Math.max(0, (await latestProductChange(tx)) - REPLAY_WINDOW);
      seenAbove = (await productChangesAfter(tx, floor, REPLAY_WINDOW * 2)).map((e) => e.seq);
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
  // Sealing compacts the postings: the loose arrays it leaves (~17 MB on 100k products) go now,
  // before the first searches allocate on top of them (the build's RSS peak).
  Bun.gc(true);
  const follower = new LogFollower<ProductChange>(
    (seq, limit) => productChangesAfter(sql, seq, limit),
    floor,
    seenAbove,
  );
  return { store: built, follower };
}

/**
 * Applies change-log entries: re-reads the current state of every product
 * they name (from the primary, which the log was read from) and upserts or
 * removes it; a category entry re-reads the tree. Replays converge, since
 * the state is read, not carried by the entry. Returns the products touched.
 */
export async function applyChanges(sql: Sql, store: IndexStore, changes: ProductChange[]): Promise<number> {
  if (!changes.length) return 0;
  const ids = new Set<number>();
  let categories = false;
  for (const c of changes) {
    if (c.product_id === null) categories = true;
    else ids.add(c.product_id);
  }
  // A product may have moved into a category created in the same breath: re-read the tree first.
  if (categories || ids.size) store.setCategories(await searchSourceCategories(sql));
  if (!ids.size) return 0;
  const rows = await searchSourceProducts(sql, [...ids]);
  const found = new Set(rows.map((r) => r.id));
  for (const r of rows) store.upsert(r);
  for (const id of ids) if (!found.has(id)) store.remove(id);
  return ids.size;
}
