import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { type AuthUser, isRole, type Role } from "./roles.ts";

/**
 * HS256 JSON Web Tokens for access tokens, built on node:crypto only so that
 * the proxy can import this file to verify tokens without the app's deps.
 */

/** The claims of an access token. */
export interface AccessClaims {
  /** The user id, as a decimal string (JWT `sub` is a string). */
  sub: string;
  email: string;
  role: Role;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  /** Unique token id. */
  jti: string;
}

/** Options for signing an access token. */
export interface SignOptions {
  secret: string;
  ttlSeconds: number;
  /** Current time in seconds (tests pin it). */
  now?: number;
}

/** Tolerated clock difference between instances for `iat`, in seconds. */
const CLOCK_SKEW_S = 30;
const HEADER = b64json({ alg: "HS256", typ: "JWT" });
const SEGMENT = /^[A-Za-z0-9_-]+$/;

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function sign(input: string, secret: string): string {
  return createHmac("sha256", secret).update(input).digest("base64url");
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Signs a short-lived access token for `user`. */
export function signAccessToken(user: AuthUser, opts: SignOptions): string {
  const iat = opts.now ?? nowSeconds();
  const claims: AccessClaims = {
    sub: String(user.id),
    email: user.email,
    role: user.role,
    iat,
    exp: iat + opts.ttlSeconds,
    jti: randomUUID(),
  };
  const body = `${HEADER}.${b64json(claims)}`;
  return `${body}.${sign(body, opts.secret)}`;
}

function parseSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isClaims(v: unknown): v is AccessClaims {
  return (
    isObject(v) &&
    typeof v.sub === "string" &&
    /^[1-9]\d{0,15}$/.test(v.sub) &&
    typeof v.email === "string" &&
    isRole(v.role) &&
    Number.isSafeInteger(v.iat) &&
    Number.isSafeInteger(v.exp) &&
    typeof v.jti === "string"
  );
}

/**
 * Verifies an access token: structure, `alg` = HS256 (anything else, `none`
 * included, is refused), signature (constant-time), claim types, `exp` in the
 * future and `iat` not in the future. Returns the claims, or null when the
 * token must not be trusted; the reason is deliberately not exposed.
 */
export function verifyAccessToken(token: string, secret: string, now = nowSeconds()): AccessClaims | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  if (!SEGMENT.test(header) || !SEGMENT.test(payload) || !SEGMENT.test(signature)) return null;

  const h = parseSegment(header);
  if (!isObject(h) || h.alg !== "HS256" || (h.typ !== undefined && h.typ !== "JWT") || "crit" in h) {
    return null;
  }
  // Compare the encoded strings, not decoded bytes: base64url has several
  // spellings of the same bytes, and only the canonical one is accepted.
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;

  const claims = parseSegment(payload);
  if (!isClaims(claims)) return null;
  if (claims.exp <= now || claims.iat > now + CLOCK_SKEW_S) return null;
  return claims;
}

/** The caller described by verified claims. */
export function userFromClaims(claims: AccessClaims): AuthUser {
  return { id: Number(claims.sub), email: claims.email, role: claims.role };
}
