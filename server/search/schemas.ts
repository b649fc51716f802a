import { z } from "zod";
import {
  DEFAULT_PAGE_SIZE,
  intParam,
  NOT_STORABLE,
  pagingSchema,
  priceRangeIssue,
  priceRangeOrdered,
  productFilterFields,
  storable,
} from "../catalog/schemas.ts";
import { SEARCH_SORTS, type SearchQuery } from "./types.ts";

/** Longest accepted search text, in characters. */
export const MAX_QUERY_LENGTH = 200;
/** Longest accepted suggestion prefix, in characters. */
export const MAX_PREFIX_LENGTH = 100;

const text = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).refine(storable, NOT_STORABLE);

/**
 * Query string of `GET /api/search`: the product list's filters, sorts and
 * paging (same validation, same page_size cap) plus `q`, `sort=relevance`
 * and `min_rating`. Unknown parameters are ignored, as on the product list.
 */
export const searchQuerySchema = pagingSchema
  .extend({
    q: text(MAX_QUERY_LENGTH).optional(),
    ...productFilterFields,
    min_rating: intParam(1, 5).optional(),
    sort: z.enum(SEARCH_SORTS, { message: `must be one of ${SEARCH_SORTS.join(", ")}` }).optional(),
  })
  .refine(priceRangeOrdered, priceRangeIssue);

/** Query string of `GET /api/search/suggest`. */
export const suggestQuerySchema = z.object({
  q: z
    .string({ message: "is required" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_PREFIX_LENGTH, `must be at most ${MAX_PREFIX_LENGTH} characters`)
    .refine(storable, NOT_STORABLE),
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
    page: page ?? 1,
    page_size: page_size ?? DEFAULT_PAGE_SIZE,
  };
}
