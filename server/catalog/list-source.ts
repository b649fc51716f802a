import type { AppDeps } from "../core/deps.ts";
import { listItemTextsByIds } from "./content.ts";
import type { ProductListItem } from "./present.ts";
import type { ProductListParams } from "./schemas.ts";

/**
 * A faster way to choose a list page than SQL over `products`: the search
 * domain's in-process index registers one (server/search/routes.ts): it
 * picks the page's ids and hands back their list items, from its own item
 * cache where it can.
 */
export interface ProductListSource {
  /**
   * The page's product ids in list order and the total for these filters,
   * or null when the source cannot answer at least as fresh as `minLsn` (the
   * WAL position the list's cache generation requires) or is not ready.
   */
  listIds(params: ProductListParams, minLsn: bigint | null): { ids: number[]; total: number } | null;
  /**
   * The active products' list items in the order of `ids`, at least as fresh
   * as `minLsn`, each as its JSON text (exactly `JSON.stringify` of the
   * `ProductListItem`): the page is spliced from them.
   */
  listItemsJson(ids: number[], minLsn: bigint | null): Promise<string[]>;
}

const sources = new WeakMap<AppDeps, ProductListSource>();

/** Registers the list source of an app instance (one per deps; a later call replaces it). */
export function useProductListSource(deps: AppDeps, source: ProductListSource): void {
  sources.set(deps, source);
}

/** The list source registered for these deps, if any. */
export function productListSource(deps: AppDeps): ProductListSource | undefined {
  return sources.get(deps);
}

/**
 * The active products' list items in the order of `ids`, at least as fresh as
 * `minLsn`, each as its JSON text (exactly `JSON.stringify` of the item):
 * from the registered source's item cache when the app has one (kept exact by
 * the products change log, so a product shown recently costs no read), else
 * the stored texts in one read. For answers spliced from the texts
 * (`spliceItems`): parsing items only to serialise them again cost ~5 µs an
 * item.
 */
export async function listItemsJsonFor(
  deps: AppDeps,
  ids: number[],
  minLsn: bigint | null = null,
): Promise<string[]> {
  if (!ids.length) return [];
  const source = productListSource(deps);
  if (source) return source.listItemsJson(ids, minLsn);
  return deps.db.read((sql) => listItemTextsByIds(sql, ids), { minLsn });
}

/** `listItemsJsonFor`, parsed: for answers built as objects rather than spliced. */
export async function listItemsFor(
  deps: AppDeps,
  ids: number[],
  minLsn: bigint | null = null,
): Promise<ProductListItem[]> {
  return (await listItemsJsonFor(deps, ids, minLsn)).map((text) => JSON.parse(text) as ProductListItem);
}

/**
 * `{ "<key>": <value>, "items": [<texts>] }` exactly as `JSON.stringify`
 * writes that object with the parsed texts as its items.
 */
export function spliceItems(key: string, value: string, texts: string[]): string {
  return `{${JSON.stringify(key)}:${JSON.stringify(value)},"items":[${texts.join(",")}]}`;
}
