import type { Sql, TxSql } from "../../../db/client.ts";
import { conflict, notFound, unprocessable } from "../../../platform/problem.ts";
import type { CreateCategoryInput, UpdateCategoryInput } from "./schemas.ts";

/** A category as the admin routes show it. */
export interface AdminCategory {
  id: number;
  slug: string;
  name: string;
  parent_id: number | null;
  position: number;
  product_count: number;
  children_count: number;
}

interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  parent_id: string | null;
  position: number;
  product_count: number;
  children_count: number;
}

const present = (r: CategoryRow): AdminCategory => ({
  id: Number(r.id),
  slug: r.slug,
  name: r.name,
  parent_id: r.parent_id === null ? null : Number(r.parent_id),
  position: r.position,
  product_count: r.product_count,
  children_count: r.children_count,
});

// Every tree change takes this lock, so two concurrent moves cannot each pass
// the cycle check and together form a loop ("categories" as a number).
const TREE_LOCK = 0x63617465676f7279n;

/** Every category (flat, with counts), or one when `id` is given. */
export async function listCategories(sql: Sql | TxSql, id?: number): Promise<AdminCategory[]> {
  const rows = await sql<CategoryRow[]>`
    select c.id, c.slug, c.name, c.parent_id, c.position,
           coalesce(pc.n, 0)::int as product_count,
           (select count(*) from categories k where k.parent_id = c.id)::int as children_count
    from categories c
    left join (select category_id, count(*) as n from products
               ${id === undefined ? sql`` : sql`where category_id = ${id}`}
               group by category_id) pc on pc.category_id = c.id
    ${id === undefined ? sql`` : sql`where c.id = ${id}`}
    order by c.position, c.name, c.id`;
  return rows.map(present);
}

function slugTaken(err: unknown): boolean {
  const e = err as { code?: string; constraint_name?: string };
  return e.code === "23505" && e.constraint_name === "categories_slug_key";
}

async function requireParent(tx: TxSql, parentId: number): Promise<void> {
  const [row] = await tx`select 1 from categories where id = ${parentId}`;
  if (!row)
    throw unprocessable("The parent category does not exist.", [
      { path: "parent_id", message: "no such category" },
    ]);
}

/** Adds a category; 422 for an unknown parent, 409 for a taken slug. */
export async function createCategory(tx: TxSql, input: CreateCategoryInput): Promise<number> {
  await tx`select pg_advisory_xact_lock(${TREE_LOCK.toString()}::bigint)`;
  if (input.parent_id !== null) await requireParent(tx, input.parent_id);
  try {
    const [row] = await tx<{ id: string }[]>`
      insert into categories (slug, name, parent_id, position)
      values (${input.slug}, ${input.name}, ${input.parent_id}, ${input.position}) returning id`;
    return Number(row!.id);
  } catch (err) {
    if (slugTaken(err)) throw conflict(`The slug ${input.slug} is taken.`, "duplicate-slug");
    throw err;
  }
}

/**
 * Renames, re-slugs or moves a category. A move under itself or one of its
 * descendants would make a cycle and is refused (422 on `parent_id`).
 */
export async function updateCategory(tx: TxSql, id: number, input: UpdateCategoryInput): Promise<void> {
  await tx`select pg_advisory_xact_lock(${TREE_LOCK.toString()}::bigint)`;
  const [current] = await tx`select id from categories where id = ${id}`;
  if (!current) throw notFound(`No category with id ${id}.`);
  if (input.parent_id !== undefined && input.parent_id !== null) {
    await requireParent(tx, input.parent_id);
    // Walk up from the new parent: meeting this category means it would become its own ancestor.
    const [loop] = await tx`
      with recursive up as (
        select id, parent_id from categories where id = ${input.parent_id}
        union all
        select c.id, c.parent_id from categories c join up on c.id = up.parent_id
      ) select 1 from up where id = ${id} limit 1`;
    if (loop)
      throw unprocessable("A category cannot be moved under itself or its descendants.", [
        { path: "parent_id", message: "would create a cycle" },
      ]);
  }
  const set: Record<string, string | number | null> = {};
  if (input.slug !== undefined) set.slug = input.slug;
  if (input.name !== undefined) set.name = input.name;
  if (input.parent_id !== undefined) set.parent_id = input.parent_id;
  if (input.position !== undefined) set.position = input.position;
  const cols = Object.keys(set);
  try {
    // postgres.js expands an object to `col = value, ...` only right after `set`.
    if (cols.length) await tx`update categories set ${tx(set, cols)} where id = ${id}`;
    await tx`update categories set updated_at = now() where id = ${id}`;
  } catch (err) {
    if (slugTaken(err)) throw conflict(`The slug ${input.slug} is taken.`, "duplicate-slug");
    throw err;
  }
}

/** Deletes an empty category; 409 while it has children or products (archived ones included). */
export async function deleteCategory(tx: TxSql, id: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(${TREE_LOCK.toString()}::bigint)`;
  const [row] = await tx<{ children: number; products: number }[]>`
    select (select count(*) from categories where parent_id = c.id)::int as children,
           (select count(*) from products where category_id = c.id)::int as products
    from categories c where c.id = ${id} for update`;
  if (!row) throw notFound(`No category with id ${id}.`);
  if (row.children || row.products)
    throw conflict("The category still has subcategories or products.", "category-not-empty", {
      children: row.children,
      products: row.products,
    });
  try {
    await tx`delete from categories where id = ${id}`;
  } catch (err) {
    // A product created concurrently in this category: same answer as above.
    if ((err as { code?: string }).code === "23503")
      throw conflict("The category still has subcategories or products.", "category-not-empty");
    throw err;
  }
}
