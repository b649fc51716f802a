import type { Database } from "../../../db/client.ts";
import type { Logger } from "../../../platform/logger.ts";
import { listItemsInOrder } from "../rows.ts";
import {
  ReindexInProgressError,
  type ReindexResult,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
  type Suggestion,
} from "../types.ts";
import {
  activeDocumentsAfter,
  databaseNowLessOneSecond,
  documentsFor,
  productIdsChangedSince,
} from "./documents.ts";
import { createEsClient, type EsClient, EsError, type FetchLike } from "./http.ts";
import { INDEX_DEFINITION, type ProductDocument } from "./mapping.ts";
import {
  bulkBody,
  type EsSearchResponse,
  type EsSuggestResponse,
  parseSearchResponse,
  parseSuggestResponse,
  searchBody,
  suggestBody,
} from "./requests.ts";

export interface ElasticsearchEngineOptions {
  url: string;
  db: Database;
  logger: Logger;
  /** The alias every read and incremental write goes through. */
  alias?: string;
  fetch?: FetchLike;
  /** Products per bulk request during a reindex. */
  batchSize?: number;
  /** Names new indices (tests make it deterministic). */
  now?: () => number;
}

interface BulkResponse {
  errors: boolean;
  items: Record<string, { status: number; error?: { type: string; reason?: string } }>[];
}

/**
 * Elasticsearch search. Reads and incremental writes go through an alias
 * (`products`); a reindex builds a fresh `products_v<ms>` index, then moves
 * the alias to it in one atomic `_aliases` call, so searches never see a
 * partial index. Hits carry only ids; items are read from Postgres.
 */
export function createElasticsearchEngine(opts: ElasticsearchEngineOptions): SearchEngine {
  const alias = opts.alias ?? "products";
  const batchSize = opts.batchSize ?? 1000;
  const now = opts.now ?? Date.now;
  const es: EsClient = createEsClient({ url: opts.url, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  let reindexing = false;

  /** Sends a bulk request; item failures other than "no index yet" / "already gone" throw. */
  async function bulk(index: string, docs: ProductDocument[], removed: number[], requireAlias: boolean) {
    const body = bulkBody(index, docs, removed);
    if (!body) return;
    const res = await es.request<BulkResponse>("POST", `/_bulk${requireAlias ? "?require_alias=true" : ""}`, {
      ndjson: body,
    });
    if (!res.body.errors) return;
    const failures = res.body.items
      .map((item) => Object.values(item)[0])
      .filter((r) => r?.error && !(r.status === 404 && r.error.type === "index_not_found_exception"));
    if (failures.length) {
      throw new EsError(res.status, failures.slice(0, 5), `bulk (${failures.length} items)`);
    }
    // The alias does not exist yet: nothing is searchable through Elasticsearch until the
    // first reindex, which reads every product from Postgres anyway.
    opts.logger.warn("search index alias missing; run POST /api/admin/search/reindex", { alias });
  }

  async function aliasTargets(): Promise<string[]> {
    const res = await es.request<Record<string, unknown>>("GET", `/_alias/${alias}`, undefined, {
      allow: [404],
    });
    return res.status === 404 ? [] : Object.keys(res.body ?? {});
  }

  return {
    name: "elasticsearch",

    async search(query: SearchQuery): Promise<SearchResult> {
      const res = await es.request<EsSearchResponse>("POST", `/${alias}/_search`, {
        json: searchBody(query),
      });
      const { ids, total, facets } = parseSearchResponse(res.body);
      const items = await opts.db.read((sql) => listItemsInOrder(sql, ids));
      return { items, total, facets, match: query.q !== undefined ? "full_text" : "all" };
    },

    async suggest(prefix: string): Promise<Suggestion[]> {
      const res = await es.request<EsSuggestResponse>("POST", `/${alias}/_search`, {
        json: suggestBody(prefix),
      });
      return parseSuggestResponse(res.body);
    },

    async indexProducts(ids: number[]): Promise<void> {
      if (!ids.length) return;
      // The primary: the event may be only just committed and a replica may lag behind it.
      const { docs, removed } = await documentsFor(opts.db.primary, ids);
      await bulk(alias, docs, removed, true);
    },

    async removeProducts(ids: number[]): Promise<void> {
      await bulk(alias, [], ids, true);
    },

    /**
     * Builds a new index from Postgres in keyset batches, refreshes it,
     * swaps the alias atomically, re-indexes products written meanwhile
     * (their events went to the old index), then drops the old indices.
     * A failure before the swap deletes the new index and leaves the alias
     * where it was.
     */
    async reindex(): Promise<ReindexResult> {
      if (reindexing) throw new ReindexInProgressError();
      reindexing = true;
      const started = performance.now();
      const index = `${alias}_v${now()}`;
      try {
        const since = await databaseNowLessOneSecond(opts.db.primary);
        await es.request("PUT", `/${index}`, { json: INDEX_DEFINITION });
        let indexed = 0;
        try {
          let after = 0;
          for (;;) {
            const docs = await activeDocumentsAfter(opts.db.primary, after, batchSize);
            if (!docs.length) break;
            await bulk(index, docs, [], false);
            indexed += docs.length;
            after = docs[docs.length - 1]!.id;
          }
          await es.request("POST", `/${index}/_refresh`);
        } catch (err) {
          await es.request("DELETE", `/${index}`, undefined, { allow: [404] }).catch(() => {});
          throw err;
        }
        const old = await aliasTargets();
        await es.request("POST", "/_aliases", {
          json: {
            actions: [...old.map((i) => ({ remove: { index: i, alias } })), { add: { index, alias } }],
          },
        });
        const changed = await productIdsChangedSince(opts.db.primary, since);
        for (let i = 0; i < changed.length; i += batchSize) {
          const { docs, removed } = await documentsFor(opts.db.primary, changed.slice(i, i + batchSize));
          await bulk(alias, docs, removed, true);
        }
        for (const i of old) {
          await es.request("DELETE", `/${i}`, undefined, { allow: [404] }).catch((err) => {
            opts.logger.warn("could not delete the previous search index", { index: i, err });
          });
        }
        return { engine: "elasticsearch", indexed, index, took_ms: Math.round(performance.now() - started) };
      } finally {
        reindexing = false;
      }
    },
  };
}
