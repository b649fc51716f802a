import type { ProductListItem } from "../catalog/present.ts";

/** Sorts of `GET /api/search`: the product list's plus `relevance`. */
export const SEARCH_SORTS = ["relevance", "newest", "price_asc", "price_desc", "rating"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** The filters shared with `GET /api/catalog/products`, plus `min_rating` (an extension). */
export interface SearchFilters {
  /** Category slug; products of its descendants match too. */
  category?: string;
  brand?: string;
  /** Inclusive bounds on the product's lowest price, in minor units. */
  min_price?: number;
  max_price?: number;
  in_stock?: boolean;
  /** Average rating at least this (1..5); unrated products never match. */
  min_rating?: number;
}

/** A validated search with every default applied (see `toSearchQuery`). */
export interface SearchQuery extends SearchFilters {
  /** Trimmed search text; absent means "every active product". */
  q?: string;
  /** Never `relevance` without `q` (it falls back to `newest`). */
  sort: SearchSort;
  page: number;
  page_size: number;
}

/** `{slug, count}`: products in the category or any of its descendants. */
export interface CategoryFacet {
  slug: string;
  count: number;
}
/** `{value, count}` per brand. */
export interface BrandFacet {
  value: string;
  count: number;
}
/** Products whose lowest price is in `[from, to)` (minor units); `to` is null for the open last bucket. */
export interface PriceFacet {
  from: number;
  to: number | null;
  count: number;
}
/** Products whose average rating is at least `min`. */
export interface RatingFacet {
  min: number;
  count: number;
}

/** Counts over the whole matching set (query and every filter applied). */
export interface Facets {
  categories: CategoryFacet[];
  brands: BrandFacet[];
  price: PriceFacet[];
  rating: RatingFacet[];
}

/**
 * How the items were found: every product (no `q`), by full text, or by the
 * typo-tolerant fallback that runs when full text finds nothing.
 */
export type MatchMode = "all" | "full_text" | "fuzzy";

/** One page of results in the product list's item shape. */
export interface SearchResult {
  items: ProductListItem[];
  total: number;
  facets: Facets;
  match: MatchMode;
}

/**
 * A `SearchResult` whose items are already JSON text (the array): a route
 * that only sends them on concatenates instead of rebuilding them.
 */
export interface SearchResultJson extends Omit<SearchResult, "items"> {
  itemsJson: string;
}

/** A completion for a typed prefix. */
export interface Suggestion {
  text: string;
  slug: string;
}

/** What a full rebuild did. */
export interface ReindexResult {
  engine: "postgres" | "elasticsearch" | "memory";
  /** Active products now searchable. */
  indexed: number;
  /** Postgres: rows whose stored vector was out of date and was rewritten. */
  updated?: number;
  /** Elasticsearch: the index the alias now points at. */
  index?: string;
  took_ms: number;
}

/**
 * Product search, whatever answers it. Implementations: the in-process index
 * (default), Postgres full text and Elasticsearch; the rest of the code never
 * asks which.
 */
export interface SearchEngine {
  readonly name: "postgres" | "elasticsearch" | "memory";
  /** Starts background work (the in-process index builds); engines without any omit it. */
  start?(): void;
  /** Stops background work. */
  close?(): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** `search` with the items as JSON text; optional (the in-process index keeps items as text). */
  searchJson?(query: SearchQuery): Promise<SearchResultJson>;
  /**
   * The ids of the best `page_size` matches of a text query in relevance
   * order, without reading their rows: for callers that re-rank and present a
   * few themselves (semantic search blends 50 and shows 20). Optional; null
   * (or no method) means "ask `search`".
   */
  rankIds?(query: SearchQuery): Promise<number[] | null>;
  /** Up to 10 completions for a prefix of a product title. */
  suggest(prefix: string): Promise<Suggestion[]>;
  /** Brings these products' index entries up to date (archived or missing ones are removed). */
  indexProducts(ids: number[]): Promise<void>;
  removeProducts(ids: number[]): Promise<void>;
  /** Rebuilds everything without a moment where search answers from a partial index. */
  reindex(): Promise<ReindexResult>;
}

/** Raised when a reindex is asked for while one is already running here. */
export class ReindexInProgressError extends Error {
  constructor() {
    super("A reindex is already running.");
    this.name = "ReindexInProgressError";
  }
}
