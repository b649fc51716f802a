/**
 * The cache generations of the catalog. An entry embeds the generations it
 * was built from; a write raises the ones it affects.
 *
 * - `categories`: the category tree; also part of every list and detail entry
 *   (category names, and which categories a `category=` filter expands to).
 * - `products`: every list page (any product change can move it between
 *   pages, filters and sorts).
 * - `product:<slug>`: one product's detail.
 */
export const CATEGORIES = "categories";
export const PRODUCT_LISTS = "products";

/** The detail generation of one product. */
export function productGeneration(slug: string): string {
  return `product:${slug}`;
}
