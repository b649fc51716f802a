import { z } from "zod";

/** API.md: "`page_size` is capped at 100". */
const MAX_PAGE_SIZE = 100;
/** The page size of a list request that names none. */
const DEFAULT_PAGE_SIZE = 24;
/** Deeper pages are refused: the offset would make every such query scan the whole table. */
const MAX_PAGE = 100_000;

const wholeNumber = z.string().trim().regex(/^\d+$/, "must be a whole number").transform(Number);

/**
 * `page` / `page_size` of every paged route, the one paging rule: both whole
 * numbers of at least 1; a `page_size` above 100 is capped at 100 (the
 * answer's `page_size` says what was used), not refused; 0, negatives and
 * non-numbers are a 422. Defaults: page 1, 24 per page. Spread into a route's
 * own query schema, or use `pageQuery` as it is.
 */
export const pageFields = {
  page: wholeNumber.pipe(z.number().int().min(1, "must be at least 1").max(MAX_PAGE)).default(1),
  page_size: wholeNumber
    .transform((v) => Math.min(v, MAX_PAGE_SIZE))
    .pipe(z.number().int().min(1, "must be at least 1"))
    .default(DEFAULT_PAGE_SIZE),
};

/** The query schema of a paged route with no other parameters. */
export const pageQuery = z.object(pageFields);

/** A validated page request. */
export interface PageParams {
  page: number;
  page_size: number;
}

/** The list envelope of API.md. */
export interface Page<T> extends PageParams {
  items: T[];
  total: number;
}

/** Wraps one page of items in the list envelope. */
export function pageOf<T>(items: T[], q: PageParams, total: number): Page<T> {
  return { items, page: q.page, page_size: q.page_size, total };
}

/** The row offset of a page. */
export function offsetOf(q: PageParams): number {
  return (q.page - 1) * q.page_size;
}
