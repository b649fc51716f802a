import { createHmac, timingSafeEqual } from "node:crypto";
import { isUuid } from "../core/ids.ts";

/**
 * Anonymous cart tokens: `<cart uuid>.<HMAC-SHA256 of the uuid>` (base64url).
 * The token is the only credential of an anonymous cart, so it is signed
 * rather than the bare id: guessing or enumerating cart ids gets nothing.
 */

function mac(cartId: string, secret: string): string {
  return createHmac("sha256", secret).update(`cart:${cartId}`).digest("base64url");
}

/** The token that names `cartId`. */
export function signCartToken(cartId: string, secret: string): string {
  return `${cartId}.${mac(cartId, secret)}`;
}

/** The cart id a token names, or null when the token is malformed or forged. */
export function verifyCartToken(token: string, secret: string): string | null {
  const dot = token.indexOf(".");
  if (dot < 0 || token.length > 200) return null;
  const id = token.slice(0, dot).toLowerCase();
  if (!isUuid(id)) return null;
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(id, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return id;
}
