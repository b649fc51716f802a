import type { Sql } from "../../../db/client.ts";
import { type AdminProduct, type ProductRow, presentAdmin } from "../present.ts";
import { productColumns } from "../queries.ts";

/** Filters of the admin product list. */
export interface AdminListParams {
  status: "active" | "archived" | "all";
  category?: string | undefined;
  brand?: string | undefined;
  page: number;
  page_size: number;
}

/** Products of any status, newest id first, with stock per variant; one statement per page. */
export async function listAdminProducts(
  sql: Sql,
  p: AdminListParams,
): Promise<{ items: AdminProduct[]; total: number }> {
  const where = sql`true
    ${p.status !== "all" ? sql`and p.status = ${p.status}` : sql``}
    ${p.category !== undefined ? sql`and p.category_id = (select id from categories where slug = ${p.category})` : sql``}
    ${p.brand !== undefined ? sql`and p.brand = ${p.brand}` : sql``}`;
  const rows = await sql<(ProductRow & { total: number; ord: string | null })[]>`
    select n.total, t.*
    from (select count(*)::int as total from products p where ${where}) n
    left join lateral (
      select row_number() over () as ord, x.* from (
        select ${productColumns(sql)}
        from products p join categories c on c.id = p.category_id
        where ${where}
        order by p.id desc
        limit ${p.page_size} offset ${(p.page - 1) * p.page_size}
      ) x
    ) t on true
    order by t.ord`;
  return { total: rows[0]?.total ?? 0, items: rows.filter((r) => r.ord !== null).map(presentAdmin) };
}
