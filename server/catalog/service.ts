import { cacheRuntime } from "../cache/index.ts";
import type { AppDeps } from "../core/deps.ts";
import { CATEGORIES, PRODUCT_LISTS, productGeneration } from "./generations.ts";
import { productListSource } from "./list-source.ts";
import { presentDetail, presentListItem } from "./present.ts";
import { countProducts, listProductPage, loadCategoryTree, loadProductBySlug } from "./queries.ts";
import { countCacheKey, listCacheKey, type ProductFilters, type ProductListParams } from "./schemas.ts";

/**
 * The cached reads of the public catalog. Each returns the response body as
 * JSON text: that is what the cache stores, so a hit is sent without parsing.
 * Loads read a replica through `db.read` with the generation's WAL position as
 * the floor (a replica that has not replayed the invalidating write is skipped).
 */

/** What every list page and list total was built from. */
const LIST_GENERATIONS = [CATEGORIES, PRODUCT_LISTS];

/** The category tree as JSON. */
export function categoryTreeJson(deps: AppDeps): Promise<string> {
  return cacheRuntime(deps).aside.fetch(
    { cache: "category_tree", key: "tree", generations: [CATEGORIES] },
    async (minLsn) => JSON.stringify(await deps.db.read((sql) => loadCategoryTree(sql), { minLsn })),
  );
}

/**
 * A page of the product list as JSON (`{ items, page, page_size, total }`).
 *
 * When the in-process search index is registered and has applied every write
 * the list's generations name, it answers without the shared cache: picking
 * the page there costs less than the cache's round trips and stores nothing
 * that random filters would never read again. Otherwise the page goes through
 * the cache, built by SQL; the total is then cached on its own per filter set
 * (see `countProducts`) and hangs on the same generations, so a write makes
 * both obsolete at once.
 */
export async function productListJson(deps: AppDeps, params: ProductListParams): Promise<string> {
  const source = productListSource(deps);
  const aside = cacheRuntime(deps).aside;
  if (source) {
    const minLsn = await aside.floor(LIST_GENERATIONS);
    const fast = source.listIds(params, minLsn);
    // Items come as JSON text: spliced, the same bytes JSON.stringify of the objects gives.
    if (fast) return listJson(params, await source.listItemsJson(fast.ids, minLsn), fast.total);
  }
  return aside.fetch(
    { cache: "product_list", key: listCacheKey(params), generations: LIST_GENERATIONS },
    async (minLsn) => {
      const [total, rows] = await Promise.all([
        productCount(deps, params),
        deps.db.read((sql) => listProductPage(sql, params), { minLsn }),
      ]);
      return listJson(
        params,
        rows.map((row) => JSON.stringify(presentListItem(row))),
        total,
      );
    },
  );
}

/** The list body spliced from items already in JSON text. */
function listJson(params: ProductListParams, items: string[], total: number): string {
  return `{"items":[${items.join(",")}],"page":${params.page},"page_size":${params.page_size},"total":${total}}`;
}

/** How many active products match the filters, cached per filter set. */
async function productCount(deps: AppDeps, filters: ProductFilters): Promise<number> {
  const text = await cacheRuntime(deps).aside.fetch(
    { cache: "product_count", key: countCacheKey(filters), generations: LIST_GENERATIONS },
    async (minLsn) => String(await deps.db.read((sql) => countProducts(sql, filters), { minLsn })),
  );
  return Number(text);
}

/** One active product as JSON, or the JSON text `null` when there is none (cached too). */
export function productDetailJson(deps: AppDeps, slug: string): Promise<string> {
  return cacheRuntime(deps).aside.fetch(
    { cache: "product", key: `product:${slug}`, generations: [CATEGORIES, productGeneration(slug)] },
    async (minLsn) => {
      const row = await deps.db.read((sql) => loadProductBySlug(sql, slug), { minLsn });
      return JSON.stringify(row ? presentDetail(row) : null);
    },
  );
}
