import type { Sql } from "../../db/client.ts";
import { type ProductListItem, presentListItem } from "../catalog/present.ts";
import { listProductsByIds } from "../catalog/queries.ts";

/**
 * The list items of these active products, in the order given (an engine's
 * ranking), in the product list's shape. Ids no longer active are skipped.
 */
export async function listItemsInOrder(sql: Sql, ids: number[]): Promise<ProductListItem[]> {
  return (await listProductsByIds(sql, ids)).map(presentListItem);
}
