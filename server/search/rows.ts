import type { Sql } from "../../db/client.ts";
import { type ProductListItem, type ProductRow, presentListItem } from "../catalog/present.ts";
import { productColumns } from "../catalog/queries.ts";

/**
 * The list items of these active products, in the order given (an engine's
 * ranking), in the product list's shape. Ids no longer active are skipped.
 */
export async function listItemsInOrder(sql: Sql, ids: number[]): Promise<ProductListItem[]> {
  if (!ids.length) return [];
  const rows = await sql<ProductRow[]>`
    select ${productColumns(sql)}
    from unnest(${ids}::bigint[]) with ordinality as page(id, ord)
    join products p on p.id = page.id
    join categories c on c.id = p.category_id
    where p.status = 'active'
    order by page.ord`;
  return rows.map(presentListItem);
}
