import type { ProductListRow } from "../../catalog/present.ts";
import { productPage } from "../../catalog/queries.ts";
import {
  MAX_BRAND_FACETS,
  MAX_SUGGESTIONS,
  PRICE_BUCKETS,
  PRICE_EDGES,
  RATING_MINS,
} from "../facet-buckets.ts";
import type { Facets, SearchQuery, Suggestion } from "../types.ts";
import { prefixTsquery } from "./query-text.ts";
import {
  type Db,
  filterPredicate,
  matchPredicate,
  orderBy,
  type PgMatch,
  type PreparedText,
  subtreeCte,
} from "./sql.ts";

interface FacetRow {
  total: number;
  categories: { slug: string; count: number }[];
  brands: { value: string; count: number }[];
  price: { bucket: number; count: number }[];
  r4: number;
  r3: number;
  r2: number;
  r1: number;
}

/**
 * The total and every facet in one statement and one pass over the matching
 * products: GROUPING SETS hash-aggregates by category, brand and price
 * bucket (plus the grand total with the rating counts) side by side, so no
 * matching row is materialised. `grouping()` tells the sets apart (a bit per
 * column, 1 = not grouped by it). Category counts then roll up to every
 * ancestor, so each `{slug, count}` is exactly what filtering by that slug
 * (which includes descendants) would return.
 */
export async function totalAndFacets(
  sql: Db,
  query: SearchQuery,
  mode: PgMatch,
  text?: PreparedText,
): Promise<{ total: number; facets: Facets }> {
  const [row] = await sql<FacetRow[]>`
    with recursive ${query.category !== undefined ? sql`${subtreeCte(sql, query)},` : sql``}
    ancestry(cat, anc) as (
      select id, id from categories
      union all
      select a.cat, c.parent_id from ancestry a join categories c on c.id = a.anc where c.parent_id is not null
    ),
    f as (
      select m.category_id, m.brand, m.bucket, grouping(m.category_id, m.brand, m.bucket) as g,
             count(*)::int as n,
             (count(*) filter (where m.rating >= 4))::int as r4,
             (count(*) filter (where m.rating >= 3))::int as r3,
             (count(*) filter (where m.rating >= 2))::int as r2,
             (count(*) filter (where m.rating >= 1))::int as r1
      from (
        select p.category_id, p.brand,
               width_bucket(p.min_price, ${[...PRICE_EDGES]}::bigint[]) as bucket,
               product_rating(p.rating_sum, p.rating_count) as rating
        from products p
        where ${matchPredicate(sql, mode, text)} and ${filterPredicate(sql, query)}
      ) m
      group by grouping sets ((m.category_id), (m.brand), (m.bucket), ())
    )
    select coalesce(t.n, 0) as total, coalesce(t.r4, 0) as r4, coalesce(t.r3, 0) as r3,
           coalesce(t.r2, 0) as r2, coalesce(t.r1, 0) as r1,
      (select coalesce(json_agg(json_build_object('slug', x.slug, 'count', x.n) order by x.n desc, x.slug), '[]')
         from (select c.slug, sum(d.n)::int as n
                 from f d
                 join ancestry a on a.cat = d.category_id
                 join categories c on c.id = a.anc
                where d.g = 3
                group by c.slug) x) as categories,
      (select coalesce(json_agg(json_build_object('value', b.brand, 'count', b.n) order by b.n desc, b.brand), '[]')
         from (select brand, n from f where g = 5 and brand <> ''
                order by n desc, brand limit ${MAX_BRAND_FACETS}) b) as brands,
      (select coalesce(json_agg(json_build_object('bucket', w.bucket, 'count', w.n) order by w.bucket), '[]')
         from f w where w.g = 6) as price
    from (select 1) one left join f t on t.g = 7`;
  const r = row!;
  return {
    total: r.total,
    facets: {
      categories: r.categories,
      brands: r.brands,
      price: r.price
        .filter((b) => b.bucket >= 1 && b.count > 0)
        .map((b) => ({ ...PRICE_BUCKETS[b.bucket - 1]!, count: b.count })),
      rating: RATING_MINS.map((min) => ({ min, count: r[`r${min}`] })).filter((f) => f.count > 0),
    },
  };
}

/**
 * One page of matching products with category and variants, in one
 * statement: ids are chosen first (sorted, limited), and only those rows are
 * joined to categories and variants.
 */
export function pageRows(
  sql: Db,
  query: SearchQuery,
  mode: PgMatch,
  text?: PreparedText,
): Promise<ProductListRow[]> {
  const offset = (query.page - 1) * query.page_size;
  return sql<ProductListRow[]>`
    ${query.category !== undefined ? sql`with recursive ${subtreeCte(sql, query)}` : sql``}
    ${productPage(
      sql,
      sql`${matchPredicate(sql, mode, text)} and ${filterPredicate(sql, query)}`,
      orderBy(sql, query.sort, mode, text),
      query.page_size,
      offset,
    )}`;
}

/** `LIKE` pattern for "starts with": the text with its wildcards escaped, then `%`. */
function startsWithPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Completions for a prefix, best first: titles that begin with it (in
 * title order, from the prefix index of migration 0051), then titles with a
 * later word that begins with it (most reviewed first). Archived products
 * never appear.
 */
export async function prefixSuggestions(sql: Db, prefix: string): Promise<Suggestion[]> {
  const expr = prefixTsquery(prefix.replace(/["-]/g, " "));
  // Normalised once, up front, so both statements below get plain values the planner can use.
  const [norm] = await sql<{ text: string; tsquery: string | null }[]>`
    select search_norm(${prefix}) as text,
           ${expr ? sql`to_tsquery('simple', search_norm(${expr}))::text` : sql`null::text`} as tsquery`;
  const starting = await sql<Suggestion[]>`
    select p.title as text, p.slug from products p
    where p.status = 'active' and search_norm(p.title) like ${startsWithPattern(norm!.text)}
    order by search_norm(p.title) using ~<~, p.id
    limit ${MAX_SUGGESTIONS}`;
  if (starting.length >= MAX_SUGGESTIONS || !norm!.tsquery) return starting;
  const within = await sql<Suggestion[]>`
    select p.title as text, p.slug from products p
    where p.status = 'active' and p.search_vector @@ ${norm!.tsquery}::tsquery
      and p.slug <> all(${starting.map((s) => s.slug)}::text[])
    order by p.rating_count desc, p.id desc
    limit ${MAX_SUGGESTIONS - starting.length}`;
  return [...starting, ...within];
}

/** Typo-tolerant completions: titles most similar to the prefix (run under a lowered threshold). */
export function fuzzySuggestions(sql: Db, prefix: string): Promise<Suggestion[]> {
  return sql<Suggestion[]>`
    select p.title as text, p.slug from products p
    where p.status = 'active' and search_norm(p.title) %> search_norm(${prefix})
    order by word_similarity(search_norm(${prefix}), search_norm(p.title)) desc, p.id desc
    limit ${MAX_SUGGESTIONS}`;
}
