import type { Sql, TxSql } from "../../db/client.ts";
import { listItemJsonByIds } from "./item-json.ts";
import type { ProductListItem } from "./present.ts";

/** The text of a product the content-based recommender reads. */
export interface ProductContent {
  id: number;
  slug: string;
  title: string;
  brand: string;
  /** Category slug and name. */
  category: string;
  categoryId: number;
  description: string;
  variantTitles: string[];
  active: boolean;
}

interface ContentRow {
  id: string;
  slug: string;
  title: string;
  brand: string;
  category: string;
  category_id: string;
  description: string;
  variant_titles: string[];
  status: string;
}

const toContent = (r: ContentRow): ProductContent => ({
  id: Number(r.id),
  slug: r.slug,
  title: r.title,
  brand: r.brand,
  category: r.category,
  categoryId: Number(r.category_id),
  description: r.description,
  variantTitles: r.variant_titles,
  active: r.status === "active",
});

const contentColumns = (sql: Sql | TxSql) => sql`
  p.id, p.slug, p.title, p.brand, c.slug || ' ' || c.name as category, p.category_id, p.description, p.status,
  array(select v.title from variants v where v.product_id = p.id order by v.position, v.id) as variant_titles`;

/** The content of the given products (any status; unknown ids are absent). */
export async function productContents(sql: Sql | TxSql, ids: number[]): Promise<ProductContent[]> {
  if (!ids.length) return [];
  const rows = await sql<ContentRow[]>`
    select ${contentColumns(sql)} from products p join categories c on c.id = p.category_id
    where p.id = any(${ids}::bigint[])`;
  return rows.map(toContent);
}

/**
 * Active products that share the category or the brand of `product` (itself
 * excluded), newest first, at most `limit`: the candidates of its similar list.
 */
export async function contentNeighbours(
  sql: Sql | TxSql,
  product: Pick<ProductContent, "id" | "brand" | "categoryId">,
  limit: number,
): Promise<ProductContent[]> {
  const rows = await sql<ContentRow[]>`
    select ${contentColumns(sql)} from products p join categories c on c.id = p.category_id
    where p.status = 'active' and p.id <> ${product.id}
      and (p.category_id = ${product.categoryId} or (${product.brand} <> '' and p.brand = ${product.brand}))
    order by p.created_at desc limit ${limit}`;
  return rows.map(toContent);
}

/** Ids of active products after `afterId`, ascending (full rebuilds walk the catalog with it). */
export async function activeProductIds(sql: Sql | TxSql, afterId: number, limit: number): Promise<number[]> {
  const rows = await sql<{ id: string }[]>`
    select id from products where status = 'active' and id > ${afterId} order by id limit ${limit}`;
  return rows.map((r) => Number(r.id));
}

/**
 * Active products' list items as their JSON texts (`listItemJsonByIds`), in
 * the order of `ids`, each product once at its first position (archived and
 * unknown ones left out).
 */
export async function listItemTextsByIds(sql: Sql, ids: number[]): Promise<string[]> {
  if (!ids.length) return [];
  const texts = new Map((await listItemJsonByIds(sql, ids)).map((r) => [Number(r.id), r.item]));
  return [...new Set(ids)].flatMap((id) => texts.get(id) ?? []);
}

/** Active products as list items, in the order of `ids` (archived and unknown ones left out). */
export async function listItemsByIds(sql: Sql, ids: number[]): Promise<ProductListItem[]> {
  return (await listItemTextsByIds(sql, ids)).map((text) => JSON.parse(text) as ProductListItem);
}

/** The slugs of the active products among `ids` (one index read; archived and unknown ones absent). */
export async function activeSlugsByIds(sql: Sql, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await sql<{ id: string; slug: string }[]>`
    select id, slug from products where id = any(${ids}::bigint[]) and status = 'active'`;
  return new Map(rows.map((r) => [Number(r.id), r.slug]));
}

/**
 * The id of the active product `slug` as an SQL expression (null when there
 * is none), for a module that needs it inside its own statement: one round
 * trip instead of this lookup and then its query.
 */
export function activeProductIdSql(sql: Sql | TxSql, slug: string) {
  return sql`(select id from products where slug = ${slug} and status = 'active')`;
}

/** The id of the active product `slug`, or null: one index lookup (no columns, no variants). */
export async function activeProductIdBySlug(sql: Sql | TxSql, slug: string): Promise<number | null> {
  const [row] = await sql<{ id: string }[]>`
    select id from products where slug = ${slug} and status = 'active'`;
  return row ? Number(row.id) : null;
}
