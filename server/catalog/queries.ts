import type postgres from "postgres";
import type { Sql, TxSql } from "../../db/client.ts";
import { stockOnHandSql } from "../inventory/stock.ts";
import type { ProductListRow, ProductRow } from "./present.ts";
import type { ProductFilters, ProductListParams } from "./schemas.ts";

type Db = Sql | TxSql;

/** A category with its children, ordered by position then name. */
export interface CategoryNode {
  id: number;
  slug: string;
  name: string;
  children: CategoryNode[];
}

/** The whole category tree in one query. */
export async function loadCategoryTree(sql: Db): Promise<CategoryNode[]> {
  const rows = await sql<{ id: string; parent_id: string | null; slug: string; name: string }[]>`
    select id, parent_id, slug, name from categories order by position, name, id`;
  const nodes = new Map<string, CategoryNode>();
  for (const r of rows) nodes.set(r.id, { id: Number(r.id), slug: r.slug, name: r.name, children: [] });
  const roots: CategoryNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id)!;
    const parent = r.parent_id === null ? undefined : nodes.get(r.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/**
 * The product columns plus category and variants (with stock) as json, so a
 * page of products with everything it shows is one statement: variants come
 * from a correlated subquery per row of the page, never a query per product.
 * `list`: only what a list item shows (no description, the largest column,
 * nor `updated_at`): rows of `ProductListRow`.
 */
export function productColumns(sql: Db, list = false) {
  return sql`
    p.id, p.slug, p.title, ${list ? sql`` : sql`p.description, p.updated_at,`} p.brand, p.images, p.status, p.currency,
    p.min_price, p.max_price, p.in_stock, p.rating_sum, p.rating_count, p.created_at,
    json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) as category,
    (select coalesce(json_agg(json_build_object(
              'sku', v.sku, 'title', v.title, 'price', v.price, 'currency', v.currency,
              'quantity', ${stockOnHandSql(sql, "v.sku")}) order by v.position, v.id), '[]'::json)
       from variants v
      where v.product_id = p.id) as variants`;
}

/**
 * One page of products with everything a list shows: the page is chosen on
 * product ids alone (`where`, `orderBy`, limit/offset — an index walk), and
 * only its rows are then joined to categories and variants, so rows skipped by
 * the offset cost no variant lookups. Used by the catalog list and by search.
 */
export function productPage(
  sql: Db,
  where: postgres.PendingQuery<postgres.Row[]>,
  orderBy: postgres.PendingQuery<postgres.Row[]>,
  limit: number,
  offset: number,
) {
  return sql`
    select ${productColumns(sql, true)}
    from (
      select row_number() over () as ord, x.id from (
        select p.id from products p
        where ${where}
        order by ${orderBy}
        limit ${limit} offset ${offset}
      ) x
    ) page
    join products p on p.id = page.id
    join categories c on c.id = p.category_id
    order by page.ord`;
}

/**
 * The rows of these products in the order given (a page chosen elsewhere,
 * e.g. by an index), with category and variants; inactive ones are skipped.
 */
export function listProductsByIds(sql: Db, ids: number[]): Promise<ProductListRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return sql<ProductListRow[]>`
    select ${productColumns(sql, true)}
    from unnest(${ids}::bigint[]) with ordinality as page(id, ord)
    join products p on p.id = page.id
    join categories c on c.id = p.category_id
    where p.status = 'active'
    order by page.ord`;
}

/** One product by slug, or null; `activeOnly` hides archived products. */
export async function loadProductBySlug(
  sql: Db,
  slug: string,
  activeOnly = true,
): Promise<ProductRow | null> {
  const [row] = await sql<ProductRow[]>`
    select ${productColumns(sql)}
    from products p join categories c on c.id = p.category_id
    where p.slug = ${slug} ${activeOnly ? sql`and p.status = 'active'` : sql``}`;
  return row ?? null;
}

/** One product by id (any status), or null. */
export async function loadProductById(sql: Db, id: number): Promise<ProductRow | null> {
  const [row] = await sql<ProductRow[]>`
    select ${productColumns(sql)}
    from products p join categories c on c.id = p.category_id
    where p.id = ${id}`;
  return row ?? null;
}

/**
 * ORDER BY of a product list sort; search uses it for every sort but relevance.
 * Each matches one of the indexes of migration 0020 (id breaks ties, so pages are stable).
 */
export function productOrderBy(sql: Db, sort: ProductListParams["sort"]) {
  switch (sort) {
    case "price_asc":
      return sql`p.min_price asc, p.id asc`;
    case "price_desc":
      return sql`p.min_price desc, p.id desc`;
    case "rating":
      return sql`product_rating(p.rating_sum, p.rating_count) desc, p.rating_count desc, p.id desc`;
    default:
      return sql`p.created_at desc, p.id desc`;
  }
}

/**
 * The ids of the category named by `slug` and of all its descendants; null
 * when the request has no category filter, empty when the slug names none.
 */
async function categoryIds(sql: Db, p: ProductFilters): Promise<string[] | null> {
  if (p.category === undefined) return null;
  const rows = await sql<{ id: string }[]>`
    with recursive subtree as (
      select id from categories where slug = ${p.category}
      union all
      select c.id from categories c join subtree s on c.parent_id = s.id)
    select id from subtree`;
  return rows.map((r) => r.id);
}

function filters(sql: Db, p: ProductFilters, ids: string[] | null) {
  return sql`p.status = 'active'
    ${
      // The subtree is resolved first and sent as a value: a leaf category (most
      // of them) is then `category_id = $n`, an ordered walk of the category's
      // own sort index. Expanded inside the statement, the planner could not
      // know how few products it covers and walked the whole catalog's sort
      // index instead, filtering out all but ~2% of it (300 ms for a deep page).
      ids === null
        ? sql``
        : ids.length === 1
          ? sql`and p.category_id = ${ids[0]!}`
          : sql`and p.category_id = any(${ids}::bigint[])`
    }
    ${p.brand !== undefined ? sql`and p.brand = ${p.brand}` : sql``}
    ${p.min_price !== undefined ? sql`and p.min_price >= ${p.min_price}` : sql``}
    ${p.max_price !== undefined ? sql`and p.min_price <= ${p.max_price}` : sql``}
    ${p.in_stock !== undefined ? sql`and p.in_stock = ${p.in_stock}` : sql``}`;
}

/**
 * How many active products match the filters (sort and paging play no
 * part). It is the dearest part of a list page on a large catalog (every
 * matching product is counted), so the service caches it per filter set,
 * apart from the pages: all sorts, pages and page sizes of one filter share it.
 */
export async function countProducts(sql: Db, p: ProductFilters): Promise<number> {
  const ids = await categoryIds(sql, p);
  if (ids?.length === 0) return 0;
  const [row] = await sql<{ total: number }[]>`
    select count(*)::int as total from products p where ${filters(sql, p, ids)}`;
  return row?.total ?? 0;
}

/**
 * The rows of one page with their category and variants, in one statement
 * (after the category subtree is resolved; see `productPage`). Price filters
 * apply to the product's lowest price, the one the list shows and sorts on.
 */
export async function listProductPage(sql: Db, p: ProductListParams): Promise<ProductRow[]> {
  const ids = await categoryIds(sql, p);
  if (ids?.length === 0) return [];
  const offset = (p.page - 1) * p.page_size;
  return sql<
    ProductRow[]
  >`${productPage(sql, filters(sql, p, ids), productOrderBy(sql, p.sort), p.page_size, offset)}`;
}
