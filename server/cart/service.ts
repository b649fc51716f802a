import type { TxSql } from "../../db/client.ts";
import { HttpProblem, notFound, unprocessable } from "../../platform/problem.ts";
import { getSkuDetails } from "../catalog/skus.ts";
import { getStock } from "../inventory/stock.ts";
import {
  type CartRow,
  cartItems,
  deleteItem,
  findCart,
  setItemQuantity,
  updateCart,
  upsertItem,
  userCart,
} from "./store.ts";
import { verifyCartToken } from "./token.ts";

/** Largest quantity of one SKU a cart line may hold (the column's check). */
export const MAX_LINE_QUANTITY = 10_000;

/** Who is asking for a cart: the `X-Cart-Token` header and the signed-in user, either may be absent. */
export interface CartCaller {
  token: string | undefined;
  userId: number | undefined;
}

const cartNotFound = () =>
  new HttpProblem(
    404,
    "cart-not-found",
    "No active cart matches X-Cart-Token. Create one with POST /api/cart (or sign in to use your cart).",
  );

/**
 * The cart a request names, row-locked: the `X-Cart-Token` cart when the header
 * is sent (an anonymous cart, or the caller's own), otherwise the signed-in
 * user's cart (created on first use). A cart of another user is reported as
 * missing rather than forbidden, so tokens reveal nothing. A used-up token of
 * the signed-in caller's own (a cart merged into theirs at sign-in, or checked
 * out) names their current cart: clients keep sending the header they had.
 */
export async function resolveCart(tx: TxSql, caller: CartCaller, secret: string): Promise<CartRow> {
  if (caller.token !== undefined) {
    const id = verifyCartToken(caller.token, secret);
    const cart = id ? await findCart(tx, id, true) : null;
    if (!cart) throw cartNotFound();
    if (cart.user_id !== null && cart.user_id !== caller.userId) throw cartNotFound();
    if (cart.status === "active") return cart;
    if (cart.user_id !== null && caller.userId !== undefined) return userCart(tx, caller.userId, true);
    throw cartNotFound();
  }
  if (caller.userId !== undefined) return userCart(tx, caller.userId, true);
  throw cartNotFound();
}

/**
 * Checks that `quantity` of `sku` can go into `cart`: the SKU exists and is on
 * sale, in the cart's currency, and there is that much stock right now.
 * Returns the currency the cart has once the line is in.
 */
async function checkLine(tx: TxSql, cart: CartRow, sku: string, quantity: number, hasOtherLines: boolean) {
  const [details] = await getSkuDetails(tx, [sku]);
  if (!details)
    throw unprocessable("The item cannot be added.", [{ path: "sku", message: `Unknown SKU ${sku}.` }]);
  if (details.status !== "active") {
    throw unprocessable("The item cannot be added.", [{ path: "sku", message: `${sku} is no longer sold.` }]);
  }
  if (hasOtherLines && details.currency !== cart.currency) {
    throw unprocessable("The item cannot be added.", [
      { path: "sku", message: `${sku} is priced in ${details.currency}; this cart is in ${cart.currency}.` },
    ]);
  }
  if (quantity > MAX_LINE_QUANTITY) {
    throw unprocessable("The quantity is invalid.", [
      { path: "quantity", message: `At most ${MAX_LINE_QUANTITY} of one item.` },
    ]);
  }
  const available = (await getStock(tx, [sku])).get(sku) ?? 0;
  if (quantity > available) {
    throw unprocessable("Not enough stock.", [
      { path: "quantity", message: `Only ${available} of ${sku} in stock.` },
    ]);
  }
  return details.currency;
}

/**
 * Adds `quantity` of `sku` (to the existing line when the SKU is already in
 * the cart; the combined quantity is what is checked against stock).
 * Returns the cart as it now is and whether a new line was created.
 */
export async function addItem(
  tx: TxSql,
  cart: CartRow,
  sku: string,
  quantity: number,
): Promise<{ cart: CartRow; created: boolean }> {
  const lines = await cartItems(tx, cart.id);
  const existing = lines.find((l) => l.sku === sku);
  const total = (existing?.quantity ?? 0) + quantity;
  const currency = await checkLine(
    tx,
    cart,
    sku,
    total,
    lines.some((l) => l.sku !== sku),
  );
  if (currency !== cart.currency) await updateCart(tx, cart.id, { currency });
  await upsertItem(tx, cart.id, sku, total);
  return { cart: { ...cart, currency }, created: !existing };
}

/** Sets the quantity of line `itemId`, checked against stock; 404 when the line is not in the cart. */
export async function changeItem(tx: TxSql, cart: CartRow, itemId: number, quantity: number): Promise<void> {
  const lines = await cartItems(tx, cart.id);
  const line = lines.find((l) => l.id === itemId);
  if (!line) throw notFound(`Cart item ${itemId} is not in this cart.`);
  await checkLine(tx, cart, line.sku, quantity, lines.length > 1);
  await setItemQuantity(tx, cart.id, itemId, quantity);
}

/** Removes line `itemId`; 404 when it is not in the cart. */
export async function removeItem(tx: TxSql, cart: CartRow, itemId: number): Promise<void> {
  if (!(await deleteItem(tx, cart.id, itemId))) throw notFound(`Cart item ${itemId} is not in this cart.`);
}
