import type { Database, Sql } from "../../../db/client.ts";
import { presentListItem } from "../../catalog/present.ts";
import {
  ReindexInProgressError,
  type ReindexResult,
  type SearchEngine,
  type SearchQuery,
  type SearchResult,
  type Suggestion,
} from "../types.ts";
import { type Db, type PgMatch, type PreparedText, prepareText } from "./sql.ts";
import { fuzzySuggestions, pageRows, prefixSuggestions, totalAndFacets } from "./statements.ts";

/**
 * Word-similarity threshold of the typo fallback. pg_trgm's default (0.6)
 * misses a single wrong letter in a short word ("widgit" ~ "widget" is
 * 0.57); 0.5 still rejects words that only share a first syllable.
 */
const FUZZY_THRESHOLD = "0.5";
/** Rows per reindex statement: small enough that no batch holds row locks for long. */
const REINDEX_BATCH = 5000;

/**
 * Runs `fn` in a read-only transaction with the lowered trigram threshold.
 * SET LOCAL (via set_config(..., true)) ends with the transaction, so the
 * pooled connection goes back unchanged.
 */
function underFuzzyThreshold<T>(sql: Sql, fn: (tx: Db) => Promise<T>): Promise<T> {
  return sql.begin("read only", async (tx) => {
    await tx`select set_config('pg_trgm.word_similarity_threshold', ${FUZZY_THRESHOLD}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/**
 * Postgres full-text search (the default engine). The vector is kept current
 * by the trigger of migration 0050, so indexProducts/removeProducts have
 * nothing to do; reads go to a replica through `db.read`.
 */
export function createPostgresEngine(db: Database): SearchEngine {
  let reindexing = false;

  /**
   * The total with facets and the page, as two statements on two
   * connections at once (each a separate read; under the fuzzy threshold
   * each in its own short transaction).
   */
  async function run(query: SearchQuery, mode: PgMatch, text?: PreparedText): Promise<SearchResult> {
    const exec = <T>(statement: (sql: Db) => Promise<T>) =>
      db.read((sql) => (mode === "fuzzy" ? underFuzzyThreshold(sql, statement) : statement(sql)));
    const [counted, rows] = await Promise.all([
      exec((sql) => totalAndFacets(sql, query, mode, text)),
      exec((sql) => pageRows(sql, query, mode, text)),
    ]);
    return { ...counted, items: rows.map(presentListItem), match: mode };
  }

  return {
    name: "postgres",

    async search(query: SearchQuery): Promise<SearchResult> {
      const q = query.q;
      if (q === undefined) return run(query, "all");
      const text = await db.read((sql) => prepareText(sql, q));
      if (text.tsquery !== "") {
        const exact = await run(query, "full_text", text);
        if (exact.total > 0) return exact;
      }
      // Nothing by full text: try the title's trigrams, which survive typos.
      return run(query, "fuzzy", text);
    },

    async suggest(prefix: string): Promise<Suggestion[]> {
      const found = await db.read((sql) => prefixSuggestions(sql, prefix));
      if (found.length) return found.map((s) => ({ text: s.text, slug: s.slug }));
      const fuzzy = await db.read((sql) => underFuzzyThreshold(sql, (tx) => fuzzySuggestions(tx, prefix)));
      return fuzzy.map((s) => ({ text: s.text, slug: s.slug }));
    },

    // The trigger updates the vector in the writing transaction itself.
    async indexProducts(): Promise<void> {},
    async removeProducts(): Promise<void> {},

    /**
     * Recomputes every vector in id-ordered batches of separate statements
     * (no long transaction, no table lock; search keeps answering from the
     * old vectors meanwhile). Rows whose vector is already right are not
     * rewritten. Useful after changing `search_document` or the dictionaries.
     */
    async reindex(): Promise<ReindexResult> {
      if (reindexing) throw new ReindexInProgressError();
      reindexing = true;
      const started = performance.now();
      try {
        let last = 0;
        let updated = 0;
        for (;;) {
          const [batch] = await db.primary<{ n: number; last: string | null; changed: number }[]>`
            with b as (select id from products where id > ${last} order by id limit ${REINDEX_BATCH}),
            u as (
              update products p set search_vector = search_document(p.title, p.brand, p.description)
              from b where p.id = b.id
                and p.search_vector is distinct from search_document(p.title, p.brand, p.description)
              returning p.id)
            select (select count(*)::int from b) as n, (select max(id)::text from b) as last,
                   (select count(*)::int from u) as changed`;
          if (!batch || batch.n === 0 || batch.last === null) break;
          updated += batch.changed;
          last = Number(batch.last);
        }
        const [count] = await db.primary<{ n: number }[]>`
          select count(*)::int as n from products where status = 'active'`;
        return {
          engine: "postgres",
          indexed: count?.n ?? 0,
          updated,
          took_ms: Math.round(performance.now() - started),
        };
      } finally {
        reindexing = false;
      }
    },
  };
}
