import type { Sql, TxSql } from "../../db/client.ts";

/** A cart row. */
export interface CartRow {
  id: string;
  user_id: number | null;
  currency: string;
  status: "active" | "merged" | "converted";
}

/** A cart line as stored (prices are looked up when the cart is shown). */
export interface CartItemRow {
  id: number;
  sku: string;
  quantity: number;
}

interface RawCart {
  id: string;
  user_id: string | null;
  currency: string;
  status: CartRow["status"];
}

function toCart(r: RawCart): CartRow {
  return {
    id: r.id,
    user_id: r.user_id === null ? null : Number(r.user_id),
    currency: r.currency.trim(),
    status: r.status,
  };
}

/** Creates an active cart, anonymous when `userId` is null. */
export async function insertCart(sql: Sql | TxSql, userId: number | null): Promise<CartRow> {
  const [row] = await sql<RawCart[]>`
    insert into carts (user_id) values (${userId}) returning id, user_id, currency, status`;
  return toCart(row!);
}

/** A cart by id; `lock` takes a row lock so concurrent edits and checkouts queue up. */
export async function findCart(sql: Sql | TxSql, id: string, lock = false): Promise<CartRow | null> {
  const rows = lock
    ? await sql<RawCart[]>`select id, user_id, currency, status from carts where id = ${id} for update`
    : await sql<RawCart[]>`select id, user_id, currency, status from carts where id = ${id}`;
  return rows[0] ? toCart(rows[0]) : null;
}

/** The user's active cart, if any. */
export async function findUserCart(sql: Sql | TxSql, userId: number, lock = false): Promise<CartRow | null> {
  const rows = lock
    ? await sql<RawCart[]>`
        select id, user_id, currency, status from carts
        where user_id = ${userId} and status = 'active' for update`
    : await sql<RawCart[]>`
        select id, user_id, currency, status from carts where user_id = ${userId} and status = 'active'`;
  return rows[0] ? toCart(rows[0]) : null;
}

/**
 * The user's active cart, created when missing. The partial unique index
 * (one active cart per user) settles a race between two first requests.
 */
export async function userCart(sql: Sql | TxSql, userId: number, lock = false): Promise<CartRow> {
  const existing = await findUserCart(sql, userId, lock);
  if (existing) return existing;
  await sql`
    insert into carts (user_id) values (${userId})
    on conflict (user_id) where status = 'active' and user_id is not null do nothing`;
  const cart = await findUserCart(sql, userId, lock);
  if (!cart) throw new Error(`could not create a cart for user ${userId}`);
  return cart;
}

/** The lines of a cart, oldest first. */
export async function cartItems(sql: Sql | TxSql, cartId: string): Promise<CartItemRow[]> {
  const rows = await sql<{ id: string; sku: string; quantity: number }[]>`
    select id, sku, quantity from cart_items where cart_id = ${cartId} order by id`;
  return rows.map((r) => ({ id: Number(r.id), sku: r.sku, quantity: r.quantity }));
}

/** Sets a line's quantity, inserting the line when the SKU is not in the cart yet. */
export async function upsertItem(tx: TxSql, cartId: string, sku: string, quantity: number): Promise<void> {
  await tx`
    insert into cart_items (cart_id, sku, quantity) values (${cartId}, ${sku}, ${quantity})
    on conflict (cart_id, sku) do update set quantity = excluded.quantity`;
}

/** Changes the quantity of one line; false when the line is not in this cart. */
export async function setItemQuantity(
  tx: TxSql,
  cartId: string,
  itemId: number,
  quantity: number,
): Promise<boolean> {
  const rows = await tx`
    update cart_items set quantity = ${quantity} where id = ${itemId} and cart_id = ${cartId} returning id`;
  return rows.length > 0;
}

/** Removes one line; false when the line is not in this cart. */
export async function deleteItem(tx: TxSql, cartId: string, itemId: number): Promise<boolean> {
  const rows = await tx`delete from cart_items where id = ${itemId} and cart_id = ${cartId} returning id`;
  return rows.length > 0;
}

/** Records a change of the cart (currency of its lines, status, owner). */
export async function updateCart(
  tx: TxSql,
  cartId: string,
  fields: { currency?: string; status?: CartRow["status"]; userId?: number | null },
): Promise<void> {
  await tx`
    update carts set
      currency = coalesce(${fields.currency ?? null}, currency),
      status = coalesce(${fields.status ?? null}, status),
      user_id = ${fields.userId === undefined ? tx`user_id` : fields.userId},
      updated_at = now()
    where id = ${cartId}`;
}
