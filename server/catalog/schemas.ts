import { z } from "zod";
import { safeText } from "../../platform/validate.ts";
import { pageFields } from "../core/paging.ts";

/** A whole number in a query string, within bounds. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A URL slug: lower-case words joined by single hyphens. */
export const slugSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters, digits and single hyphens");

const SORTS = ["newest", "price_asc", "price_desc", "rating"] as const;
export type ProductSort = (typeof SORTS)[number];

/** Prices are minor units; 10^12 is far above any real price and well inside 2^53. */
const MAX_PRICE = 1_000_000_000_000;

/**
 * The list filters shared by `GET /api/catalog/products` and `GET /api/search`,
 * so both validate them the same way.
 */
export const productFilterFields = {
  category: slugSchema.optional(),
  brand: safeText(120).optional(),
  min_price: intParam(0, MAX_PRICE).optional(),
  max_price: intParam(0, MAX_PRICE).optional(),
  in_stock: z
    .enum(["true", "false", "1", "0"], { message: "must be true or false" })
    .transform((v) => v === "true" || v === "1")
    .optional(),
};

/** `max_price` may not be below `min_price`: `.refine(priceRangeOrdered, priceRangeIssue)`. */
export const priceRangeOrdered = (q: { min_price?: number; max_price?: number }): boolean =>
  q.min_price === undefined || q.max_price === undefined || q.min_price <= q.max_price;
export const priceRangeIssue = { path: ["max_price"], message: "must not be below min_price" };

/** Query string of `GET /api/catalog/products`. Unknown parameters are ignored. */
export const productListQuery = z
  .object({
    ...pageFields,
    ...productFilterFields,
    sort: z.enum(SORTS, { message: `must be one of ${SORTS.join(", ")}` }).optional(),
  })
  .refine(priceRangeOrdered, priceRangeIssue);

/** The filters of a product list request (what its total depends on). */
export interface ProductFilters {
  category?: string;
  brand?: string;
  min_price?: number;
  max_price?: number;
  in_stock?: boolean;
}

/** A validated product list request with every default applied. */
export interface ProductListParams extends ProductFilters {
  sort: ProductSort;
  page: number;
  page_size: number;
}

/** Applies defaults to a parsed list query. */
export function listParams(q: z.output<typeof productListQuery>): ProductListParams {
  return {
    ...q,
    sort: q.sort ?? "newest",
    page: q.page,
    page_size: q.page_size,
  };
}

const FILTER_KEYS = ["category", "brand", "min_price", "max_price", "in_stock"] as const;

function canonical(
  p: ProductFilters & Partial<ProductListParams>,
  keys: readonly (keyof ProductListParams)[],
) {
  const parts: string[] = [];
  for (const k of keys) {
    const v = p[k];
    if (v !== undefined) parts.push(`${k}=${encodeURIComponent(String(v))}`);
  }
  return parts.join("&");
}

/**
 * A canonical cache key for a list request: the same filters in any order or
 * spelling (`in_stock=1` / `true`) map to one entry.
 */
export function listCacheKey(p: ProductListParams): string {
  return `list:${canonical(p, [...FILTER_KEYS, "sort", "page", "page_size"])}`;
}

/** The cache key of a filter set's total, shared by every sort, page and page size. */
export function countCacheKey(p: ProductFilters): string {
  return `count:${canonical(p, FILTER_KEYS)}`;
}
