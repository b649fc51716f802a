import type { TxSql } from "../../db/client.ts";
import { getStock } from "../inventory/stock.ts";
import { MAX_LINE_QUANTITY } from "./service.ts";
import { cartItems, findCart, findUserCart, updateCart, upsertItem } from "./store.ts";
import { verifyCartToken } from "./token.ts";

/**
 * Moves an anonymous cart into a user's cart at sign-in, inside the caller's
 * transaction (the login route's). Lines for the same SKU are added together,
 * capped at the stock on hand; when the user has no active cart the anonymous
 * cart simply becomes theirs. An invalid, foreign or already used token is
 * ignored: signing in must never fail because of a stale cart.
 *
 * Returns the id of the user's cart afterwards, or null when nothing was merged.
 * `secret` is the cart-token key (`CartSettings.cartTokenSecret`).
 */
export async function mergeAnonymousCart(
  tx: TxSql,
  anonymousCartToken: string | undefined | null,
  userId: number,
  secret: string,
): Promise<string | null> {
  if (!anonymousCartToken) return null;
  const anonId = verifyCartToken(anonymousCartToken, secret);
  if (!anonId) return null;
  const anon = await findCart(tx, anonId, true);
  if (anon?.status !== "active" || anon.user_id !== null) return null;

  const mine = await findUserCart(tx, userId, true);
  if (!mine) {
    await updateCart(tx, anon.id, { userId });
    return anon.id;
  }
  const theirs = await cartItems(tx, anon.id);
  const ours = new Map((await cartItems(tx, mine.id)).map((l) => [l.sku, l.quantity]));
  const stock = await getStock(
    tx,
    theirs.map((l) => l.sku),
  );
  const mixedCurrency = anon.currency !== mine.currency && ours.size > 0;
  for (const line of theirs) {
    // A cart holds one currency; lines priced otherwise stay behind in the merged cart.
    if (mixedCurrency) break;
    const had = ours.get(line.sku) ?? 0;
    // Never below what the user already had, never above the stock on hand for the added part.
    const wanted = Math.min(had + line.quantity, MAX_LINE_QUANTITY, Math.max(had, stock.get(line.sku) ?? 0));
    if (wanted > had) await upsertItem(tx, mine.id, line.sku, wanted);
  }
  if (ours.size === 0 && anon.currency !== mine.currency)
    await updateCart(tx, mine.id, { currency: anon.currency });
  // Owned by the user from now on, so that their old token keeps naming their cart (resolveCart).
  await updateCart(tx, anon.id, { status: "merged", userId });
  return mine.id;
}
