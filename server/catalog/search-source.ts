import type { Sql, TxSql } from "../../db/client.ts";

/**
 * The catalog's read model for search indexes built outside Postgres (the
 * in-process index of server/search/memory/): what a product is searched,
 * filtered, sorted and faceted by, in one row. The catalog owns these
 * columns; readers go through the functions below, never the tables.
 */
export interface SearchSourceProduct {
  id: number;
  slug: string;
  title: string;
  /** `search_norm(title)`: lower-cased and unaccented exactly as Postgres does it. */
  norm_title: string;
  brand: string;
  category_id: number;
  min_price: number;
  in_stock: boolean;
  rating_sum: number;
  rating_count: number;
  /** `created_at` in whole microseconds since the epoch (exact, so sorts tie exactly as in SQL). */
  created_us: number;
  /** `search_vector` as text: `'lexeme':1A,4 'other':2B …` (weights A title, B brand, C description). */
  vector: string;
}

/** One category of the tree. */
export interface SearchSourceCategory {
  id: number;
  parent_id: number | null;
  slug: string;
}

/** How many active products contain each lexeme (sizes the postings before they are read). */
export interface LexemeCount {
  word: string;
  ndoc: number;
}

type Db = Sql | TxSql;

function columns(sql: Db) {
  return sql`
    p.id::float8 as id, p.slug, p.title, search_norm(p.title) as norm_title, p.brand,
    p.category_id::float8 as category_id, p.min_price::float8 as min_price, p.in_stock,
    p.rating_sum::float8 as rating_sum, p.rating_count,
    (extract(epoch from p.created_at) * 1000000)::bigint::float8 as created_us,
    coalesce(p.search_vector::text, '') as vector`;
}

/** The category tree, flat. */
export function searchSourceCategories(sql: Db): Promise<SearchSourceCategory[]> {
  return sql<SearchSourceCategory[]>`
    select id::float8 as id, parent_id::float8 as parent_id, slug from categories order by id`;
}

/** The active products among `ids` (archived or missing ones are absent from the answer). */
export function searchSourceProducts(sql: Db, ids: number[]): Promise<SearchSourceProduct[]> {
  if (!ids.length) return Promise.resolve([]);
  return sql<SearchSourceProduct[]>`
    select ${columns(sql)} from products p
    where p.id = any(${ids}::bigint[]) and p.status = 'active' order by p.id`;
}

/** One entry of the products change log (migration 0090): a product id, or null for "the category tree changed". */
export interface ProductChange {
  seq: number;
  product_id: number | null;
}

/**
 * Change-log entries after `seq`, oldest first (committed ones only).
 * Sequence numbers are taken at insert, not commit, so a later call may still
 * return a number below one already seen: followers keep a window (see
 * server/search/memory/follow.ts).
 */
export async function productChangesAfter(sql: Db, seq: number, limit: number): Promise<ProductChange[]> {
  const rows = await sql<{ seq: string; product_id: number | null }[]>`
    select seq::text, product_id::float8 as product_id from product_changes
    where seq > ${seq} order by seq limit ${limit}`;
  return rows.map((r) => ({ seq: Number(r.seq), product_id: r.product_id }));
}

/** The newest change-log sequence number (0 when empty). */
export async function latestProductChange(sql: Db): Promise<number> {
  const [row] = await sql<{ seq: string | null }[]>`select max(seq)::text as seq from product_changes`;
  return Number(row?.seq ?? 0);
}

/** Deletes change-log entries older than `ms` (no follower needs them: instances start from a snapshot). */
export async function pruneProductChanges(sql: Db, ms: number): Promise<number> {
  const rows = await sql`
    delete from product_changes where changed_at < now() - make_interval(secs => ${ms / 1000})
    returning 1`;
  return rows.length;
}

/** The channel NOTIFYed when a change is committed. */
export const PRODUCT_CHANGES_CHANNEL = "product_changes";

/**
 * A consistent snapshot of every active product, for a full build: inside
 * one repeatable-read transaction, first the lexeme counts and the category
 * tree, then the products in id order, `batch` rows at a time (the whole
 * catalog is never held as rows at once). `before` runs first in the same
 * snapshot (the caller reads its change cursor there).
 */
export async function readSearchSnapshot(
  sql: Sql,
  handlers: {
    before?: (tx: TxSql) => Promise<void>;
    lexemes: (counts: LexemeCount[], categories: SearchSourceCategory[], activeProducts: number) => void;
    products: (rows: SearchSourceProduct[]) => void;
  },
  batch = 1000,
): Promise<void> {
  await sql.begin("isolation level repeatable read read only", async (tx) => {
    await handlers.before?.(tx);
    const counts = await tx<LexemeCount[]>`
      select word, ndoc from ts_stat('select search_vector from products where status = ''active''')`;
    const [active] = await tx<
      { n: number }[]
    >`select count(*)::int as n from products where status = 'active'`;
    handlers.lexemes(counts, await searchSourceCategories(tx), active?.n ?? 0);
    await tx<SearchSourceProduct[]>`
      select ${columns(tx)} from products p where p.status = 'active' order by p.id`.cursor(batch, (rows) => {
      handlers.products(rows);
    });
  });
}
