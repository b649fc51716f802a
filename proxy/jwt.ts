import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Verifies an HS256 access token and returns its subject (the user id), or
 * null when the token is missing, malformed, forged or expired. Only used to
 * key the rate limiter, so any failure just falls back to the client IP.
 */
export function verifyAccessToken(authorization: string | undefined, secret: string): string | null {
  if (!authorization?.startsWith("Bearer ")) return null;
  const token = authorization.slice(7).trim();
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: unknown };
    if (header.alg !== "HS256") return null;
    const expected = createHmac("sha256", secret).update(`${h}.${p}`).digest();
    const given = Buffer.from(s, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as {
      sub?: unknown;
      exp?: unknown;
    };
    if (typeof payload.exp !== "number" || payload.exp * 1000 <= Date.now()) return null;
    if (typeof payload.sub !== "string" && typeof payload.sub !== "number") return null;
    return String(payload.sub);
  } catch {
    return null;
  }
}
