import type { Sql, TxSql } from "../../../db/client.ts";
import { productOrderBy } from "../../catalog/queries.ts";
import type { SearchFilters, SearchQuery } from "../types.ts";
import { prefixTsquery } from "./query-text.ts";

/** A plain pool or a transaction: every fragment here works on both. */
export type Db = Sql | TxSql;
/** How a search narrows the products before the filters. */
export type PgMatch = "all" | "full_text" | "fuzzy";

/**
 * The search text after the database has parsed it once: the tsquery as
 * text and the normalised text. Statements then take both as plain
 * parameters, so the planner sees real values (a broad term that matches
 * most products gets a sequential scan, a rare one the GIN index) and no
 * row re-parses the query.
 */
export interface PreparedText {
  /** Empty when the text has no searchable words. */
  tsquery: string;
  normalised: string;
}

/**
 * Parses the search text: websearch syntax under the stemmed 'english'
 * configuration, ORed with the verbatim 'simple' words: for plain text in
 * their prefix form (last word as a prefix, for search as you type), for
 * text with operators exactly as written. `search_norm`
 * applies the same unaccent + lower-casing as the vector.
 */
export async function prepareText(sql: Db, q: string): Promise<PreparedText> {
  const prefix = prefixTsquery(q);
  const [row] = await sql<PreparedText[]>`
    select (websearch_to_tsquery('english', search_norm(${q}))
            || ${
              // For plain text the prefix form already covers the verbatim words, and
              // every extra alternative makes ts_rank_cd dearer on broad matches.
              prefix
                ? sql`to_tsquery('simple', search_norm(${prefix}))`
                : sql`websearch_to_tsquery('simple', search_norm(${q}))`
            })::text as tsquery,
           search_norm(${q}) as normalised`;
  return row!;
}

/**
 * The 'english' lexeme of each word taken alone ("" for a stop word), in
 * the words' order: the parser and dictionary `websearch_to_tsquery` uses,
 * read through `to_tsvector` (which raises no notice for a stop word). For
 * plain lower-case ASCII words (`plainWords`), which `search_norm` leaves
 * as they are.
 */
export async function englishLexemes(sql: Db, ws: string[]): Promise<string[]> {
  const rows = await sql<{ word: string; lexeme: string | null }[]>`
    select w as word, (tsvector_to_array(to_tsvector('english', w)))[1] as lexeme
    from unnest(${ws}::text[]) as w`;
  const of = new Map(rows.map((r) => [r.word, r.lexeme ?? ""]));
  return ws.map((w) => of.get(w) ?? "");
}

/** The predicate that selects candidate products for a match mode. */
export function matchPredicate(sql: Db, mode: PgMatch, text: PreparedText | undefined) {
  if (mode === "all" || text === undefined) return sql`true`;
  // `%>` is the indexable form (indexed expression on the left) of word similarity above the threshold.
  if (mode === "fuzzy") return sql`search_norm(p.title) %> ${text.normalised}`;
  return sql`p.search_vector @@ ${text.tsquery}::tsquery`;
}

/** The `subtree` CTE (the category and its descendants), when a category filter is set; no comma. */
export function subtreeCte(sql: Db, f: SearchFilters) {
  return f.category !== undefined
    ? sql`subtree as (
            select id from categories where slug = ${f.category}
            union all
            select c.id from categories c join subtree s on c.parent_id = s.id)`
    : sql``;
}

/**
 * The filters, with the product list's semantics: active products only,
 * category includes descendants, prices bound the lowest price. `status =
 * 'active'` is spelt literally so the partial indexes apply.
 */
export function filterPredicate(sql: Db, f: SearchFilters) {
  return sql`p.status = 'active'
    ${f.category !== undefined ? sql`and p.category_id = any(array(select id from subtree))` : sql``}
    ${f.brand !== undefined ? sql`and p.brand = ${f.brand}` : sql``}
    ${f.min_price !== undefined ? sql`and p.min_price >= ${f.min_price}` : sql``}
    ${f.max_price !== undefined ? sql`and p.min_price <= ${f.max_price}` : sql``}
    ${f.in_stock !== undefined ? sql`and p.in_stock = ${f.in_stock}` : sql``}
    ${f.min_rating !== undefined ? sql`and product_rating(p.rating_sum, p.rating_count) >= ${f.min_rating}` : sql``}`;
}

/**
 * ORDER BY of a page. Relevance under full text is the cover-density rank
 * (title matches weigh most: A > B > C); under the fuzzy fallback it is the
 * title's word similarity. The id breaks ties so pages are stable.
 */
export function orderBy(sql: Db, sort: SearchQuery["sort"], mode: PgMatch, text: PreparedText | undefined) {
  if (sort !== "relevance") return productOrderBy(sql, sort);
  if (text !== undefined && mode === "full_text")
    return sql`ts_rank_cd(p.search_vector, ${text.tsquery}::tsquery) desc, p.id desc`;
  if (text !== undefined && mode === "fuzzy")
    return sql`word_similarity(${text.normalised}, search_norm(p.title)) desc, p.id desc`;
  return productOrderBy(sql, "newest");
}
