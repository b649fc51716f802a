import type { Sql } from "./client.ts";
import { withIndexesDeferred } from "./seed/deferred-indexes.ts";
import { DEFAULT_SEED, generateProducts } from "./seed/generate.ts";
import { insertProducts, insertReviews, insertVariants } from "./seed/insert.ts";
import { categoryNodes } from "./seed/taxonomy.ts";

/**
 * Demo catalog loader. The products come from the deterministic generator
 * in db/seed/ (a few hundred product types in a department > group > leaf
 * tree, invented brands, attributes, prices, stock and reviews; see
 * docs/catalog.md); this file writes them in bulk: each column is one array
 * parameter of an `insert ... select from unnest(...)`, thousands of rows per
 * round trip, in one transaction.
 */

/** Tables the seed fills in bulk. */
const BULK_TABLES = ["products", "variants", "inventory", "reviews"];

export interface SeedOptions {
  products: number;
  /** Number of reviewer accounts created on first seed (also the most reviews one product gets). */
  reviewers?: number;
  /** Generator seed (an integer); the same seed gives the same catalog. */
  seed?: number;
}

export interface SeedResult {
  categories: number;
  products: number;
  variants: number;
  reviews: number;
  ms: number;
}

/** Inserts the category tree (idempotent); returns slug -> id of every category. */
async function seedCategories(sql: Sql): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const node of categoryNodes()) {
    const parent = node.parent === null ? null : ids.get(node.parent)!;
    const [row] = await sql<{ id: string }[]>`
      insert into categories (slug, name, parent_id, position) values (${node.slug}, ${node.name}, ${parent}, ${node.position})
      on conflict (slug) do update set name = excluded.name returning id`;
    ids.set(node.slug, Number(row!.id));
  }
  return ids;
}

/**
 * Seeds `products` more products (continuing the generated sequence after
 * the existing ones), with variants, stock and reviews.
 */
export async function seedCatalog(sql: Sql, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const categoryIds = await seedCategories(sql);
  const reviewerCount = opts.reviewers ?? 300;
  const passwordHash = await Bun.password.hash(crypto.randomUUID(), { algorithm: "argon2id" });

  const result = await sql.begin(async (tx) => {
    // The catalog's triggers keep per-product price and stock summaries; the
    // generator already knows them and writes them with the product, so the
    // triggers are off for this transaction instead of recomputing per statement.
    await tx`alter table variants disable trigger user`;
    await tx`alter table inventory disable trigger user`;
    // Stored list items (migration 0107) would be rendered once per bulk statement; once at the end instead.
    await tx`alter table product_changes disable trigger product_changes_items`;
    await tx`
      insert into users (email, password_hash, name)
      select 'reviewer' || g || '@seed.example', ${passwordHash}, 'Reviewer ' || g
      from generate_series(1, ${reviewerCount}) g
      on conflict (email) do nothing`;
    const reviewerIds = (
      await tx<{ id: string }[]>`select id from users where email like 'reviewer%@seed.example' order by id`
    ).map((r) => Number(r.id));
    // After the highest id, not the count: a deleted product must not make the sequence repeat a slug.
    const [existing] = await tx<{ n: number; rows: number }[]>`
      select coalesce(max(id), 0)::int as n, count(*)::int as rows from products`;
    const specs = generateProducts({
      count: opts.products,
      offset: existing!.n,
      seed: opts.seed ?? DEFAULT_SEED,
      maxReviews: reviewerIds.length,
    });
    const load = async () => {
      const ids = await insertProducts(tx, specs, categoryIds);
      const variants = await insertVariants(tx, specs, ids);
      const reviews = await insertReviews(tx, specs, ids, reviewerIds);
      return { products: ids.size, variants, reviews };
    };
    // Rebuilding the indexes pays off when the load is most of the table (a fresh seed).
    const counts =
      existing!.rows < opts.products ? await withIndexesDeferred(tx, BULK_TABLES, load) : await load();
    await tx`alter table variants enable trigger user`;
    await tx`alter table inventory enable trigger user`;
    await tx`alter table product_changes enable trigger product_changes_items`;
    await tx`select refresh_product_items(array(select id from products where id > ${existing!.n}))`;
    return counts;
  });
  await sql`analyze`;
  return { categories: categoryIds.size, ...result, ms: Math.round(performance.now() - started) };
}

/** True when the catalog has no products yet. */
export async function catalogIsEmpty(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ empty: boolean }[]>`select not exists (select 1 from products) as empty`;
  return row!.empty;
}
