import { cacheRuntime } from "../cache/index.ts";
import type { AppDeps } from "../deps.ts";
import { CATEGORIES, PRODUCT_LISTS, productGeneration } from "./generations.ts";
import { presentDetail, presentListItem } from "./present.ts";
import { listProducts, loadCategoryTree, loadProductBySlug } from "./queries.ts";
import { listCacheKey, type ProductListParams } from "./schemas.ts";

/**
 * The cached reads of the public catalog. Each returns the response body as
 * JSON text: that is what the cache stores, so a hit is sent without parsing.
 * Loads read a replica through `db.read` with the generation's WAL position as
 * the floor (a replica that has not replayed the invalidating write is skipped).
 */

/** The category tree as JSON. */
export function categoryTreeJson(deps: AppDeps): Promise<string> {
  return cacheRuntime(deps).aside.fetch(
    { cache: "category_tree", key: "tree", generations: [CATEGORIES] },
    async (minLsn) => JSON.stringify(await deps.db.read((sql) => loadCategoryTree(sql), { minLsn })),
  );
}

/** A page of the product list as JSON (`{ items, page, page_size, total }`). */
export function productListJson(deps: AppDeps, params: ProductListParams): Promise<string> {
  return cacheRuntime(deps).aside.fetch(
    { cache: "product_list", key: listCacheKey(params), generations: [CATEGORIES, PRODUCT_LISTS] },
    async (minLsn) => {
      const page = await deps.db.read((sql) => listProducts(sql, params), { minLsn });
      return JSON.stringify({
        items: page.rows.map(presentListItem),
        page: params.page,
        page_size: params.page_size,
        total: page.total,
      });
    },
  );
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
