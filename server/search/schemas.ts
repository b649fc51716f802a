import { z } from "zod";
import { safeText } from "../../platform/validate.ts";
import { intParam, priceRangeIssue, priceRangeOrdered, productFilterFields } from "../catalog/schemas.ts";
import { pageFields } from "../core/paging.ts";
import { SEARCH_SORTS, type SearchQuery } from "./types.ts";

/** Longest accepted search text, in characters. */
const MAX_QUERY_LENGTH = 200;
/** Longest accepted suggestion prefix, in characters. */
const MAX_PREFIX_LENGTH = 100;

/**
 * Query string of `GET /api/search`: the product list's filters, sorts and
 * paging (same validation, same page_size cap) plus `q`, `sort=relevance`
 * and `min_rating`. Unknown parameters are ignored, as on the product list.
 */
export const searchQuerySchema = z
  .object({
    ...pageFields,
    q: safeText(MAX_QUERY_LENGTH, { min: 0 }).optional(),
    ...productFilterFields,
    min_rating: intParam(1, 5).optional(),
    sort: z.enum(SEARCH_SORTS, { message: `must be one of ${SEARCH_SORTS.join(", ")}` }).optional(),
  })
  .refine(priceRangeOrdered, priceRangeIssue);

/** Query string of `GET /api/search/suggest`. */
export const suggestQuerySchema = z.object({
  q: safeText(MAX_PREFIX_LENGTH),
});

/**
 * Applies defaults: an empty `q` counts as none; the sort defaults to
 * `relevance` with a `q` and `newest` without, and `relevance` without a `q`
 * (nothing to be relevant to) becomes `newest`.
 */
export function toSearchQuery(parsed: z.output<typeof searchQuerySchema>): SearchQuery {
  const q = parsed.q ? parsed.q : undefined;
  const wanted = parsed.sort ?? (q ? "relevance" : "newest");
  const { q: _q, sort: _s, page, page_size, ...filters } = parsed;
  return {
    ...filters,
    ...(q ? { q } : {}),
    sort: wanted === "relevance" && !q ? "newest" : wanted,
    page,
    page_size,
  };
}
