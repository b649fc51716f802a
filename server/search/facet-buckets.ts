/**
 * Fixed price bucket edges in minor units (USD-like catalogs: under $10,
 * $10-25, $25-50, $50-100, $100-250, $250-500, $500-1000, $1000+). Fixed
 * rather than computed from the result set so that buckets are stable while
 * a shopper narrows a search, and both engines count them identically.
 * A bucket is `[from, to)`; the last one is open (`to: null`).
 */
export const PRICE_EDGES = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000] as const;

/** `[from, to)` pairs built from PRICE_EDGES. */
export const PRICE_BUCKETS: { from: number; to: number | null }[] = PRICE_EDGES.map((from, i) => ({
  from,
  to: PRICE_EDGES[i + 1] ?? null,
}));

/** Rating facet thresholds: "average at least 4, 3, 2, 1". */
export const RATING_MINS = [4, 3, 2, 1] as const;

/** Longest brand facet list returned (most frequent first). */
export const MAX_BRAND_FACETS = 50;

/** Most suggestions returned. */
export const MAX_SUGGESTIONS = 10;
