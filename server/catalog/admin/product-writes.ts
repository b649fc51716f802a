import type { TxSql } from "../../../db/client.ts";
import { conflict, notFound, unprocessable } from "../../../platform/problem.ts";
import { recordEvent } from "../../core/outbox.ts";
import { adjustStock, createStockRows, setStock } from "../../inventory/stock.ts";
import type { CreateProductInput, UpdateProductInput } from "./schemas.ts";

/** What a product write changed: the slugs whose cache entries are now obsolete. */
export interface ProductWrite {
  id: number;
  slugs: string[];
}

const isUniqueViolation = (err: unknown, constraint: string) =>
  (err as { code?: string; constraint_name?: string }).code === "23505" &&
  (err as { constraint_name?: string }).constraint_name === constraint;

/** A URL slug from a title ("Café Chair, Oak" → "cafe-chair-oak"). */
export function slugify(title: string): string {
  const s = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 180)
    .replace(/-+$/g, "");
  return s || "product";
}

async function categoryId(tx: TxSql, slug: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`select id from categories where slug = ${slug}`;
  if (!row)
    throw unprocessable("The category does not exist.", [{ path: "category", message: "no such category" }]);
  return row.id;
}

/** Inserts variants with zero stock, then sets stock through audited adjustments. */
async function addVariants(
  tx: TxSql,
  productId: string,
  variants: {
    sku: string;
    title?: string | undefined;
    price: { amount: number; currency: string };
    stock?: number | undefined;
  }[],
  firstPosition: number,
  actorId: number,
): Promise<void> {
  if (!variants.length) return;
  const rows = variants.map((v, i) => ({
    product_id: productId,
    sku: v.sku,
    title: v.title ?? "",
    price: v.price.amount,
    currency: v.price.currency,
    position: firstPosition + i,
  }));
  const inserted = await tx<{ sku: string }[]>`
    insert into variants ${tx(rows, "product_id", "sku", "title", "price", "currency", "position")}
    on conflict (sku) do nothing returning sku`;
  if (inserted.length !== rows.length) {
    const got = new Set(inserted.map((r) => r.sku));
    throw conflict("Some SKUs already exist.", "duplicate-sku", {
      skus: rows.filter((r) => !got.has(r.sku)).map((r) => r.sku),
    });
  }
  await createStockRows(
    tx,
    rows.map((r) => r.sku),
  );
  // Initial stock goes through the inventory module so it is audited and announced like any change.
  for (const v of variants) {
    if (v.stock) await adjustStock(tx, v.sku, v.stock, "initial stock", actorId);
  }
}

/**
 * Creates a product with its variants, prices and initial stock, plus the
 * `product.created` event, in the caller's transaction. Without a slug one is
 * made from the title (with a suffix if taken); an explicit slug that is
 * taken is a 409.
 */
export async function createProduct(
  tx: TxSql,
  input: CreateProductInput,
  actorId: number,
): Promise<ProductWrite> {
  const category = await categoryId(tx, input.category);
  const currency = input.variants[0]!.price.currency;
  let slug = input.slug ?? slugify(input.title);
  let row: { id: string } | undefined;
  for (let attempt = 0; !row; attempt++) {
    [row] = await tx<{ id: string }[]>`
      insert into products (slug, title, description, brand, category_id, images, currency)
      values (${slug}, ${input.title}, ${input.description}, ${input.brand}, ${category},
              ${tx.json(input.images)}, ${currency})
      on conflict (slug) do nothing returning id`;
    if (row) break;
    if (input.slug || attempt >= 5) throw conflict(`The slug ${slug} is taken.`, "duplicate-slug");
    slug = `${slugify(input.title)}-${crypto.randomUUID().slice(0, 6)}`;
  }
  await addVariants(tx, row.id, input.variants, 0, actorId);
  await recordEvent(
    tx,
    "product.created",
    {
      id: Number(row.id),
      slug,
      title: input.title,
      category: input.category,
      brand: input.brand,
      variants: input.variants.map((v) => ({
        sku: v.sku,
        price: v.price.amount,
        currency: v.price.currency,
      })),
    },
    row.id,
  );
  return { id: Number(row.id), slugs: [slug] };
}

/**
 * Applies a PATCH: product fields, status, and variants (existing SKUs get
 * the title/price given, a `stock` sets the quantity through an audited
 * adjustment; new SKUs are added). Emits `product.updated`, or
 * `product.archived` when the status becomes archived.
 */
export async function updateProduct(
  tx: TxSql,
  id: number,
  input: UpdateProductInput,
  actorId: number,
): Promise<ProductWrite> {
  const [current] = await tx<{ id: string; slug: string; status: string; currency: string }[]>`
    select id, slug, status, currency from products where id = ${id} for update`;
  if (!current) throw notFound(`No product with id ${id}.`);

  const changes: Record<string, string | string[] | null> = {};
  if (input.title !== undefined) changes.title = input.title;
  if (input.slug !== undefined) changes.slug = input.slug;
  if (input.description !== undefined) changes.description = input.description;
  if (input.brand !== undefined) changes.brand = input.brand;
  if (input.status !== undefined) changes.status = input.status;
  if (input.category !== undefined) changes.category_id = await categoryId(tx, input.category);
  const setImages = input.images !== undefined ? tx`, images = ${tx.json(input.images)}` : tx``;
  const keys = Object.keys(changes);
  let slug = current.slug;
  try {
    // postgres.js expands an object to `col = value, ...` only right after `set`.
    if (keys.length) await tx`update products set ${tx(changes, keys)} where id = ${id}`;
    const [row] = await tx<{ slug: string }[]>`
      update products set updated_at = now() ${setImages} where id = ${id} returning slug`;
    slug = row!.slug;
  } catch (err) {
    if (isUniqueViolation(err, "products_slug_key"))
      throw conflict(`The slug ${input.slug} is taken.`, "duplicate-slug");
    throw err;
  }

  if (input.variants?.length) await changeVariants(tx, current, input.variants, actorId);

  const archived = input.status === "archived" && current.status !== "archived";
  await recordEvent(
    tx,
    archived ? "product.archived" : "product.updated",
    {
      id,
      slug,
      previous_slug: current.slug === slug ? undefined : current.slug,
      changed: [
        ...keys,
        ...(input.images ? ["images"] : []),
        ...(input.variants?.length ? ["variants"] : []),
      ],
      skus: input.variants?.map((v) => v.sku) ?? [],
    },
    id,
  );
  return { id, slugs: [...new Set([current.slug, slug])] };
}

async function changeVariants(
  tx: TxSql,
  product: { id: string; currency: string },
  variants: NonNullable<UpdateProductInput["variants"]>,
  actorId: number,
): Promise<void> {
  const existing = await tx<{ sku: string; product_id: string; position: number }[]>`
    select sku, product_id, position from variants
    where sku = any(${variants.map((v) => v.sku)}) or product_id = ${product.id}
    for update`;
  const bySku = new Map(existing.map((e) => [e.sku, e]));
  const nextPosition =
    Math.max(-1, ...existing.filter((e) => e.product_id === product.id).map((e) => e.position)) + 1;
  const added: Parameters<typeof addVariants>[2] = [];
  for (const [i, v] of variants.entries()) {
    if (v.price && v.price.currency !== product.currency.trim())
      throw unprocessable("The variant's currency differs from the product's.", [
        { path: `variants.${i}.price.currency`, message: `must be ${product.currency.trim()}` },
      ]);
    const found = bySku.get(v.sku);
    if (!found) {
      if (!v.price)
        throw unprocessable("A new variant needs a price.", [
          { path: `variants.${i}.price`, message: "is required" },
        ]);
      added.push({ sku: v.sku, title: v.title, price: v.price, stock: v.stock });
      continue;
    }
    if (found.product_id !== product.id)
      throw conflict(`The SKU ${v.sku} belongs to another product.`, "duplicate-sku", { skus: [v.sku] });
    const set: Record<string, string | number> = {};
    if (v.title !== undefined) set.title = v.title;
    if (v.price !== undefined) set.price = v.price.amount;
    const cols = Object.keys(set);
    if (cols.length) await tx`update variants set ${tx(set, cols)} where sku = ${v.sku}`;
    if (v.stock !== undefined) await setStock(tx, v.sku, v.stock, "stock set by product update", actorId);
  }
  await addVariants(tx, product.id, added, nextPosition, actorId);
}

/** Archives a product (it disappears from the public catalog; orders keep their lines). */
export async function archiveProduct(tx: TxSql, id: number): Promise<ProductWrite> {
  const [row] = await tx<{ slug: string; was: string }[]>`
    update products p set status = 'archived', updated_at = now()
    from (select id, status as was from products where id = ${id} for update) old
    where p.id = old.id returning p.slug, old.was`;
  if (!row) throw notFound(`No product with id ${id}.`);
  if (row.was !== "archived") await recordEvent(tx, "product.archived", { id, slug: row.slug }, id);
  return { id, slugs: [row.slug] };
}
