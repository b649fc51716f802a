import { listItemsByIds } from "../catalog/content.ts";
import type { ProductListItem } from "../catalog/present.ts";
import { loadProductBySlug } from "../catalog/queries.ts";
import type { AppDeps } from "../core/deps.ts";
import { boughtTogether, similarProducts } from "./serve.ts";

/** The product-page widgets: what is bought with a product and what is like it. */
export interface ProductRecommendations {
  boughtTogether: ProductListItem[];
  similar: ProductListItem[];
}

/**
 * The cache generation of one product's recommendation lists (named by slug,
 * as the page that shows them is). The recommend consumer raises it when a
 * paid order or a similar-list refresh changes the lists, so a cached product
 * page is rebuilt then.
 */
export function recommendGeneration(slug: string): string {
  return `recommend:${slug}`;
}

const NONE: ProductRecommendations = { boughtTogether: [], similar: [] };

/**
 * Both lists for the product `slug`, presented as list items. Widgets are an
 * extra: an unknown product, missing tables or a failing query answer empty
 * lists (logged), never an error, so the product page still renders.
 */
export async function productRecommendations(
  deps: AppDeps,
  slug: string,
  opts: { minSupport: number; limit: number },
): Promise<ProductRecommendations> {
  try {
    return await deps.db.read(async (sql) => {
      const row = await loadProductBySlug(sql, slug);
      if (!row) return NONE;
      const id = Number(row.id);
      const [bt, sim] = await Promise.all([
        boughtTogether(sql, id, opts.minSupport, opts.limit),
        similarProducts(sql, id, opts.limit),
      ]);
      const [btItems, simItems] = await Promise.all([
        listItemsByIds(sql, bt.ids),
        listItemsByIds(sql, sim.ids),
      ]);
      return { boughtTogether: btItems, similar: simItems };
    });
  } catch (err) {
    deps.logger.warn("product recommendations unavailable; page renders without them", { slug, err });
    return NONE;
  }
}
