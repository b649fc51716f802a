import type { TxSql } from "../../db/client.ts";
import { MAX_LINE_QUANTITY } from "./service.ts";
import { cartItems, findCart, findUserCart, updateCart, upsertItem } from "./store.ts";

/**
 * Marks a cart as checked out. Its lines are kept, so that a checkout whose
 * payment fails can give the customer the same cart back.
 */
export async function convertCart(tx: TxSql, cartId: string): Promise<void> {
  await updateCart(tx, cartId, { status: "converted" });
}

/**
 * Gives back a cart converted by a checkout that did not complete. When the
 * user has meanwhile started another cart (only one may be active), the old
 * lines are added to it instead.
 */
export async function restoreCart(tx: TxSql, cartId: string): Promise<void> {
  const cart = await findCart(tx, cartId, true);
  if (cart?.status !== "converted") return;
  let other = cart.user_id === null ? null : await findUserCart(tx, cart.user_id, true);
  if (!other) {
    // A first request of the same user may create an active cart between our
    // look-up and this update; the one-active-cart index then refuses it, and
    // the lines go into that new cart instead (a savepoint keeps the transaction usable).
    try {
      await tx.savepoint((sp) => updateCart(sp, cartId, { status: "active" }));
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "23505" || cart.user_id === null) throw err;
      other = await findUserCart(tx, cart.user_id, true);
      if (!other) throw err;
    }
  }
  const have = new Map((await cartItems(tx, other.id)).map((l) => [l.sku, l.quantity]));
  for (const line of await cartItems(tx, cartId)) {
    const quantity = Math.min((have.get(line.sku) ?? 0) + line.quantity, MAX_LINE_QUANTITY);
    await upsertItem(tx, other.id, line.sku, quantity);
  }
}
