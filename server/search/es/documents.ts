import type { Sql } from "../../../db/client.ts";
import type { ProductDocument } from "./mapping.ts";

interface DocumentRow extends ProductDocument {
  status: "active" | "archived";
}

/** Every category with the slugs of itself and its ancestors (the tree is small: one pass). */
function documentSelect(sql: Sql) {
  return sql`
    with recursive ancestry(cat, anc) as (
      select id, id from categories
      union all
      select a.cat, c.parent_id from ancestry a join categories c on c.id = a.anc where c.parent_id is not null
    ),
    paths as (
      select a.cat, array_agg(c.slug order by c.slug) as slugs
      from ancestry a join categories c on c.id = a.anc group by a.cat
    )
    select p.id::float8 as id, p.slug, p.title, p.brand, p.description, p.status,
           paths.slugs as categories, p.min_price::float8 as min_price, p.in_stock,
           product_rating(p.rating_sum, p.rating_count) as rating, p.rating_count,
           to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
    from products p join paths on paths.cat = p.category_id`;
}

function toDocument(r: DocumentRow): ProductDocument {
  const { status: _s, ...doc } = r;
  return doc;
}

/**
 * The documents of these products: active ones to index, and the ids that
 * must leave the index (archived, or gone from the database).
 */
export async function documentsFor(
  sql: Sql,
  ids: number[],
): Promise<{ docs: ProductDocument[]; removed: number[] }> {
  const rows = await sql<DocumentRow[]>`${documentSelect(sql)} where p.id = any(${ids}::bigint[])`;
  const active = rows.filter((r) => r.status === "active");
  const activeIds = new Set(active.map((r) => r.id));
  return { docs: active.map(toDocument), removed: ids.filter((id) => !activeIds.has(id)) };
}

/** The next batch of active products after `afterId`, in id order (keyset paging for a reindex). */
export async function activeDocumentsAfter(
  sql: Sql,
  afterId: number,
  limit: number,
): Promise<ProductDocument[]> {
  const rows = await sql<DocumentRow[]>`
    ${documentSelect(sql)} where p.status = 'active' and p.id > ${afterId} order by p.id limit ${limit}`;
  return rows.map(toDocument);
}

/** Ids of products written since `since` (the catch-up pass after an alias swap). */
export async function productIdsChangedSince(sql: Sql, since: Date): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select id::float8 as id from products where updated_at >= ${since} order by id`;
  return rows.map((r) => r.id);
}

/** The database clock (updated_at is written with it), a second early to cover in-flight commits. */
export async function databaseNowLessOneSecond(sql: Sql): Promise<Date> {
  const [row] = await sql<{ at: Date }[]>`select now() - interval '1 second' as at`;
  return row!.at;
}
