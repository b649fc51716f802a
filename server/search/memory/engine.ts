import type { Database } from "../../../db/client.ts";
import type { Logger } from "../../../platform/logger.ts";
import type { Registry } from "../../../platform/metrics.ts";
import { RecentMap } from "../../../platform/recent-map.ts";
import { itemSlugAndTitle, listItemJsonByIds } from "../../catalog/item-json.ts";
import type { ProductListSource } from "../../catalog/list-source.ts";
import type { ProductListItem } from "../../catalog/present.ts";
import type { ProductListParams } from "../../catalog/schemas.ts";
import { PRODUCT_CHANGES_CHANNEL, pruneProductChanges } from "../../catalog/search-source.ts";
import { composePlainText, plainWords } from "../pg/query-text.ts";
import { englishLexemes, prepareText } from "../pg/sql.ts";
import {
  ReindexInProgressError,
  type ReindexResult,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
  type SearchResultJson,
  type Suggestion,
} from "../types.ts";
import type { BuiltIndex } from "./build.ts";
import { applyChanges, buildIndex } from "./build.ts";
import { TypoExpander } from "./fuzzy.ts";
import { ItemCache } from "./items.ts";
import { type IndexAnswer, searchAll, searchFullText, searchTypos, suggestSlots } from "./query.ts";
import { parseTsquery, type QueryNode } from "./tsquery.ts";

/** Parsed search texts kept (Postgres parses each distinct text once). */
const PARSE_CACHE = 10_000;
/** Words whose 'english' lexeme an instance keeps (~1 MB when full; a shop's query vocabulary is smaller). */
const LEXEME_CACHE = 10_000;
/** Change-log entries are kept this long (far longer than any instance lags). */
const PRUNE_AFTER_MS = 3_600_000;
const PRUNE_EVERY_MS = 600_000;
/** Postings held in per-term tails (added since the build) tolerated before a rebuild. */
const REBUILD_TAIL = 500_000;
/** Old versions tolerated before the index is rebuilt from Postgres. */
const REBUILD_DEAD = 20_000;
/**
 * List items kept per instance (~650 bytes of text each): the products that searches and lists show
 * most. 3,000, not 5,000, since a missed item is a primary-key read of stored text (migration 0107):
 * the list benchmark's peak RSS went 149–150 → 146 MB at 2,000, with app CPU within the noise.
 */
const ITEM_CACHE_SIZE = 3_000;

interface Parsed {
  /** null: Postgres must answer (operators the index cannot evaluate exactly). */
  node: QueryNode | null;
  empty: boolean;
  normalised: string;
}

/** The in-process engine: `SearchEngine` plus its life cycle. */
export interface MemoryEngine extends SearchEngine, ProductListSource {
  /** Starts the build and the change-log following; idempotent (the search module calls it at mount). */
  start(): void;
  /** Resolves once the index serves (searches before that are answered by `fallback`). */
  ready(): Promise<void>;
  /** True once the index serves. */
  isReady(): boolean;
  /** Stops following the change log. */
  close(): Promise<void>;
}

/** JS form of `search_norm` for suggestion prefixes: unaccented, lower-cased. */
function normalise(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Search from an index held in this process (see docs/search.md): built from
 * a Postgres snapshot at start, kept current by following the products
 * change log (migration 0090; a NOTIFY wakes it, `syncMs` polling backs it
 * up), answered by
 * `fallback` (Postgres full text) until built and for texts with operators
 * it cannot evaluate. Items always come from Postgres (current stock/prices).
 */
export function createMemoryEngine(opts: {
  db: Database;
  logger: Logger;
  fallback: SearchEngine;
  syncMs: number;
  /** Where item-cache lookups are counted (`cache_requests_total{cache="search_items"}`). */
  metrics?: Registry;
}): MemoryEngine {
  const { db, logger, fallback } = opts;
  const lookups = opts.metrics?.counter("cache_requests_total", "cache lookups by cache and result");
  let current: (BuiltIndex & { typos: TypoExpander }) | null = null;
  let prunedAt = 0;
  let closed = false;
  /** WAL position the index reflects at least (every commit before it has been applied). */
  let appliedLsn = -1n;
  let rebuilding = false;
  let syncing: Promise<void> | null = null;
  let again = false;
  const parsed = new RecentMap<string, Parsed>(PARSE_CACHE);
  const lexemes = new RecentMap<string, string>(LEXEME_CACHE);
  // Items are kept as their JSON text (built by Postgres): a page is spliced from them, and a
  // string is a third of the heap of the object it encodes.
  const items = new ItemCache<string>(
    async (ids, minLsn) => {
      const rows = await db.read((sql) => listItemJsonByIds(sql, ids), { minLsn });
      return new Map(rows.map((r) => [Number(r.id), r.item]));
    },
    ITEM_CACHE_SIZE,
    (hits, misses) => {
      // Counted per item: a page of 24 is 24 lookups.
      if (hits) lookups?.inc({ cache: "search_items", result: "hit" }, hits);
      if (misses) lookups?.inc({ cache: "search_items", result: "miss" }, misses);
    },
  );
  let markReady!: () => void;
  const readyPromise = new Promise<void>((r) => {
    markReady = r;
  });

  async function build(): Promise<number> {
    const started = performance.now();
    // Every commit before this position is in the snapshot read next.
    const lsn = await db.currentLsn();
    const next = await buildIndex(db.primary);
    // Items loaded before the snapshot may predate changes the new index already holds.
    items.clear(lsn);
    current = { ...next, typos: new TypoExpander(next.store.postings) };
    appliedLsn = lsn;
    markReady();
    const took = Math.round(performance.now() - started);
    logger.info("search index built", {
      products: next.store.docs.alive,
      took_ms: took,
      // The largest part of the index (docs/search.md, "Memory budget"): 10.5 MB on 100k products.
      postings_mb: Math.round(next.store.postings.baseBytes / 104857.6) / 10,
    });
    return took;
  }

  async function syncOnce(): Promise<void> {
    const c = current;
    if (!c || closed) return;
    // Read before the log: every commit up to here is among the entries read next.
    const lsn = await db.currentLsn();
    const changes = await c.follower.next();
    if (current !== c) return; // swapped by a rebuild meanwhile; the new one follows on its own
    // Items first: once `appliedLsn` moves, lists trust this instance's items up to it. Their
    // floor is read after the log, so it is at or past the commit of every entry just read.
    if (changes.length) dropItems(changes, await db.currentLsn());
    if (current !== c) return;
    await applyChanges(db.primary, c.store, changes);
    if (current === c && lsn > appliedLsn) appliedLsn = lsn;
    // Old versions, or many products added since the build (a bulk import into a running
    // instance): a rebuild packs them into the compact rows again.
    const grown = changes.length > 0 && c.store.postings.tailEntries > REBUILD_TAIL;
    if ((c.store.deadSlots > REBUILD_DEAD || grown) && !rebuilding) void reindex().catch(() => {});
    if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      await pruneProductChanges(db.primary, PRUNE_AFTER_MS);
    }
  }

  function dropItems(changes: { product_id: number | null }[], lsn: bigint): void {
    if (!changes.length) return;
    if (changes.some((ch) => ch.product_id === null)) items.clear(lsn);
    else
      items.invalidate(
        changes.map((ch) => ch.product_id!),
        lsn,
      );
  }

  /** One sync at a time; a wake-up during a sync runs another right after. */
  function sync(): void {
    if (syncing) {
      again = true;
      return;
    }
    syncing = syncOnce()
      .catch((err: unknown) => logger.warn("search index sync failed; retrying", { err }))
      .finally(() => {
        syncing = null;
        if (again && !closed) {
          again = false;
          sync();
        }
      });
  }

  let timer: ReturnType<typeof setInterval> | null = null;
  let listening: Promise<{ unlisten(): Promise<void> } | null> = Promise.resolve(null);

  async function startBuild(attempt = 0): Promise<void> {
    try {
      await build();
      sync();
    } catch (err) {
      if (closed) return;
      logger.error("search index build failed; Postgres answers meanwhile", { err, attempt });
      setTimeout(() => void startBuild(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt)).unref?.();
    }
  }

  /** Starts building and following (once). Processes that never search (the workers) never start it. */
  function start(): void {
    if (timer || closed) return;
    timer = setInterval(sync, opts.syncMs);
    timer.unref?.();
    listening = db.primary
      .listen(PRODUCT_CHANGES_CHANNEL, () => sync())
      .catch((err: unknown) => {
        logger.warn("LISTEN product_changes failed; the search index polls only", { err });
        return null;
      });
    void startBuild();
  }

  /** Each word's 'english' lexeme ("" for a stop word), fetched once for all plain queries that use it. */
  async function lexemesOf(ws: string[]): Promise<string[]> {
    const missing = [...new Set(ws.filter((w) => lexemes.get(w) === undefined))];
    if (missing.length) {
      const found = await db.read((sql) => englishLexemes(sql, missing));
      missing.forEach((w, i) => {
        lexemes.set(w, found[i]!);
      });
    }
    return ws.map((w) => lexemes.get(w) ?? "");
  }

  async function parse(q: string): Promise<Parsed> {
    const hit = parsed.get(q);
    if (hit) return hit;
    // A plain query is put together from its words (no round trip once they are known); other text goes to Postgres.
    const ws = plainWords(q);
    const text = ws ? composePlainText(ws, await lexemesOf(ws)) : await db.read((sql) => prepareText(sql, q));
    const entry: Parsed = {
      node: text.tsquery === "" ? null : parseTsquery(text.tsquery),
      empty: text.tsquery === "",
      normalised: text.normalised,
    };
    parsed.set(q, entry);
    return entry;
  }

  /**
   * Full text, else the typo fallback; null when Postgres must answer
   * (operators the index cannot evaluate). Facets are counted unless `withFacets` is false.
   */
  async function findText(
    c: NonNullable<typeof current>,
    q: string,
    query: SearchQuery,
    withFacets = true,
  ): Promise<IndexAnswer | null> {
    const p = await parse(q);
    if (!p.empty && p.node === null) return null;
    // `current` may have been swapped during the parse; answer from one index.
    const s = current ?? c;
    if (p.node) {
      const exact = searchFullText(s.store, query, p.node, withFacets);
      if (exact.total > 0) return exact;
    }
    return searchTypos(s.store, s.typos, query, p.normalised, withFacets);
  }

  async function present(found: IndexAnswer): Promise<SearchResultJson> {
    return {
      itemsJson: `[${(await items.get(found.ids)).join(",")}]`,
      total: found.total,
      facets: found.facets,
      match: found.match,
    };
  }

  async function searchJson(query: SearchQuery): Promise<SearchResultJson> {
    start();
    const c = current;
    const found = !c
      ? null
      : query.q === undefined
        ? searchAll(c.store, query)
        : await findText(c, query.q, query);
    if (found) return present(found);
    const { items: list, ...rest } = await fallback.search(query);
    return { ...rest, itemsJson: JSON.stringify(list) };
  }

  async function reindex(): Promise<ReindexResult> {
    if (rebuilding) throw new ReindexInProgressError();
    rebuilding = true;
    try {
      const took = await build();
      sync();
      return { engine: "memory", indexed: current!.store.docs.alive, took_ms: took };
    } finally {
      rebuilding = false;
    }
  }

  return {
    name: "memory",
    start,
    ready: () => {
      start();
      return readyPromise;
    },
    isReady: () => current !== null,

    // Callers that use the items themselves (semantic search, the assistant) get them parsed.
    async search(query: SearchQuery): Promise<SearchResult> {
      const { itemsJson, ...rest } = await searchJson(query);
      return { ...rest, items: JSON.parse(itemsJson) as ProductListItem[] };
    },

    searchJson,

    async rankIds(query: SearchQuery): Promise<number[] | null> {
      start();
      const c = current;
      if (!c || query.q === undefined) return null;
      // Ids only: no facet counts.
      return (await findText(c, query.q, query, false))?.ids ?? null;
    },

    async suggest(prefix: string): Promise<Suggestion[]> {
      start();
      const c = current;
      if (!c) return fallback.suggest(prefix);
      const slots = suggestSlots(c.store, c.typos, prefix, normalise(prefix));
      if (!slots.length) return [];
      // Titles and slugs are not in the index: the item cache has them (ten rows by key on a miss).
      const ids = slots.map((s) => c.store.docs.ids[s]!);
      return (await items.get(ids)).map((json) => {
        const { slug, title } = itemSlugAndTitle(json);
        return { text: title, slug };
      });
    },

    listIds(params: ProductListParams, minLsn: bigint | null) {
      const c = current;
      if (!c || (minLsn !== null && appliedLsn < minLsn)) return null;
      const found = searchAll(c.store, params, false);
      return { ids: found.ids, total: found.total };
    },

    // Held items are exact up to what the follower has applied: a caller that needs a later
    // position (a cache generation raised since) has every item read at that position.
    listItemsJson: (ids, minLsn) =>
      minLsn !== null && appliedLsn < minLsn ? items.read(ids, minLsn) : items.get(ids, minLsn),

    // Every instance follows the change log itself; the search-indexer consumer has nothing to do here.
    async indexProducts(): Promise<void> {},
    async removeProducts(): Promise<void> {},
    reindex,

    async close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      await (await listening)?.unlisten().catch(() => {});
      await syncing;
    },
  };
}
