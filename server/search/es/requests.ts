import { MAX_BRAND_FACETS, MAX_SUGGESTIONS, PRICE_BUCKETS, RATING_MINS } from "../facet-buckets.ts";
import type { Facets, SearchFilters, SearchQuery, SearchSort, Suggestion } from "../types.ts";
import type { ProductDocument } from "./mapping.ts";

/** Elasticsearch refuses `from + size` beyond this (index.max_result_window default). */
const MAX_RESULT_WINDOW = 10_000;

/** The fields the as-you-type sub-field provides (the field plus its shingle sub-fields). */
const SUGGEST_FIELDS = ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"];

/** Term and range filters with the product list's semantics (see the mapping for `categories`). */
function filterClauses(f: SearchFilters): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (f.category !== undefined) out.push({ term: { categories: f.category } });
  if (f.brand !== undefined) out.push({ term: { "brand.keyword": f.brand } });
  if (f.min_price !== undefined || f.max_price !== undefined) {
    const range: Record<string, number> = {};
    if (f.min_price !== undefined) range.gte = f.min_price;
    if (f.max_price !== undefined) range.lte = f.max_price;
    out.push({ range: { min_price: range } });
  }
  if (f.in_stock !== undefined) out.push({ term: { in_stock: f.in_stock } });
  if (f.min_rating !== undefined) out.push({ range: { rating: { gte: f.min_rating } } });
  return out;
}

/**
 * The text part: either words matched fuzzily (edit distance AUTO: 0 for
 * 1-2 letters, 1 for 3-5, 2 beyond) in title, brand and description, all
 * words required; or the text as typed so far (last word a prefix) on the
 * title's as-you-type field. Title counts most, then brand.
 */
function textQuery(q: string): Record<string, unknown> {
  return {
    bool: {
      should: [
        {
          multi_match: {
            query: q,
            fields: ["title^3", "brand^2", "description"],
            type: "best_fields",
            fuzziness: "AUTO",
            prefix_length: 1,
            operator: "and",
          },
        },
        { multi_match: { query: q, type: "bool_prefix", fields: SUGGEST_FIELDS, operator: "and" } },
      ],
      minimum_should_match: 1,
    },
  };
}

/** Sort clauses; `id` breaks ties so pages are stable, as on the product list. */
function sortClauses(sort: SearchSort): unknown[] {
  switch (sort) {
    case "relevance":
      return ["_score", { id: "desc" }];
    case "price_asc":
      return [{ min_price: "asc" }, { id: "asc" }];
    case "price_desc":
      return [{ min_price: "desc" }, { id: "desc" }];
    case "rating":
      return [{ rating: "desc" }, { rating_count: "desc" }, { id: "desc" }];
    default:
      return [{ created_at: "desc" }, { id: "desc" }];
  }
}

/** Facet aggregations, counted over every hit (query and filters applied). */
function facetAggregations(): Record<string, unknown> {
  return {
    categories: { terms: { field: "categories", size: 500 } },
    brands: {
      terms: {
        field: "brand.keyword",
        size: MAX_BRAND_FACETS,
        exclude: [""],
        order: [{ _count: "desc" }, { _key: "asc" }],
      },
    },
    price: {
      range: {
        field: "min_price",
        ranges: PRICE_BUCKETS.map((b) => (b.to === null ? { from: b.from } : { from: b.from, to: b.to })),
      },
    },
    rating: {
      filters: {
        filters: Object.fromEntries(
          RATING_MINS.map((min) => [String(min), { range: { rating: { gte: min } } }]),
        ),
      },
    },
  };
}

/**
 * The `_search` body of a search. Only ids come back (`_source: false`); the
 * items are then read from Postgres, so they have exactly the product list's
 * shape and current prices and stock. Pages past the result window come back
 * empty but keep the total and facets.
 */
export function searchBody(query: SearchQuery): Record<string, unknown> {
  const from = (query.page - 1) * query.page_size;
  const size = from >= MAX_RESULT_WINDOW ? 0 : Math.min(query.page_size, MAX_RESULT_WINDOW - from);
  const filter = filterClauses(query);
  return {
    from: size === 0 ? 0 : from,
    size,
    track_total_hits: true,
    _source: false,
    query: {
      bool: {
        ...(query.q !== undefined ? { must: [textQuery(query.q)] } : {}),
        filter,
      },
    },
    sort: sortClauses(query.sort),
    aggs: facetAggregations(),
  };
}

/** The `_search` body of suggestions: title as you type, the most reviewed first among equals. */
export function suggestBody(prefix: string): Record<string, unknown> {
  return {
    size: MAX_SUGGESTIONS,
    _source: ["title", "slug"],
    query: {
      multi_match: { query: prefix, type: "bool_prefix", fields: SUGGEST_FIELDS, fuzziness: "AUTO" },
    },
    sort: ["_score", { rating_count: "desc" }, { id: "desc" }],
  };
}

/** NDJSON for `_bulk`: index every document, delete every id. */
export function bulkBody(index: string, docs: ProductDocument[], deleteIds: number[]): string {
  const lines: string[] = [];
  for (const d of docs) {
    lines.push(JSON.stringify({ index: { _index: index, _id: String(d.id) } }), JSON.stringify(d));
  }
  for (const id of deleteIds) lines.push(JSON.stringify({ delete: { _index: index, _id: String(id) } }));
  return lines.length ? `${lines.join("\n")}\n` : "";
}

interface TermsAgg {
  buckets: { key: string; doc_count: number }[];
}
interface RangeAgg {
  buckets: { from?: number; to?: number; doc_count: number }[];
}
interface FiltersAgg {
  buckets: Record<string, { doc_count: number }>;
}

/** What `_search` answers for a search body. */
export interface EsSearchResponse {
  hits: { total: { value: number }; hits: { _id: string }[] };
  aggregations?: { categories: TermsAgg; brands: TermsAgg; price: RangeAgg; rating: FiltersAgg };
}

/** Hit ids and facets out of a search answer (zero counts left out, as the Postgres engine does). */
export function parseSearchResponse(body: EsSearchResponse): {
  ids: number[];
  total: number;
  facets: Facets;
} {
  const a = body.aggregations;
  return {
    ids: body.hits.hits.map((h) => Number(h._id)),
    total: body.hits.total.value,
    facets: {
      categories: (a?.categories.buckets ?? [])
        .map((b) => ({ slug: b.key, count: b.doc_count }))
        .sort((x, y) => y.count - x.count || (x.slug < y.slug ? -1 : 1)),
      brands: (a?.brands.buckets ?? []).map((b) => ({ value: b.key, count: b.doc_count })),
      price: PRICE_BUCKETS.map((b, i) => ({ ...b, count: a?.price.buckets[i]?.doc_count ?? 0 })).filter(
        (b) => b.count > 0,
      ),
      rating: RATING_MINS.map((min) => ({
        min,
        count: a?.rating.buckets[String(min)]?.doc_count ?? 0,
      })).filter((r) => r.count > 0),
    },
  };
}

/** What `_search` answers for a suggest body. */
export interface EsSuggestResponse {
  hits: { hits: { _source: { title: string; slug: string } }[] };
}

/** Suggestions out of a suggest answer. */
export function parseSuggestResponse(body: EsSuggestResponse): Suggestion[] {
  return body.hits.hits.map((h) => ({ text: h._source.title, slug: h._source.slug }));
}
