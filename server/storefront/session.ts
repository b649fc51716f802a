import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { jwtSecret } from "../../platform/config.ts";
import type { AppDeps, AppEnv } from "../core/deps.ts";
import type { AuthUser } from "../core/roles.ts";
import { userFromClaims, verifyAccessToken } from "../core/tokens.ts";

/**
 * Pages speak to the domains through the public JSON contract, answered
 * in-process by the same app (no network hop, no second copy of validation,
 * idempotency or authorisation rules). A browser session keeps the API's
 * bearer tokens in HttpOnly SameSite=Lax cookies set by form posts.
 */

/** What a page gets back from one in-process API call. */
export interface ApiReply<T = unknown> {
  status: number;
  ok: boolean;
  body: T;
  headers: Headers;
}

/** Options of one API call. */
export interface ApiCall {
  json?: unknown;
  /** Idempotency-Key header (checkout). */
  key?: string;
  /** Call anonymously even when signed in (cached public reads). */
  anonymous?: boolean;
}

/** The caller behind a page request. */
export interface PageSession {
  user: AuthUser | null;
  accessToken: string | null;
  cartToken: string | null;
  api<T = unknown>(method: string, path: string, opts?: ApiCall): Promise<ApiReply<T>>;
}

/** Hono environment of page routes. */
export interface PageEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { session: PageSession };
}

const ACCESS = "sf_at";
const REFRESH = "sf_rt";
const CART = "sf_cart";

/** Cookie attributes: script-proof, sent on top-level navigations only (CSRF first line). */
function cookieOpts(c: Context, maxAge: number) {
  const secure =
    (c.req.header("x-forwarded-proto") ?? new URL(c.req.url).protocol.replace(":", "")) === "https";
  return { httpOnly: true, sameSite: "Lax" as const, path: "/", secure, maxAge };
}

/** Calls the app's own API in-process. */
function apiCaller(
  app: Hono<AppEnv>,
  c: Context,
  s: { accessToken: string | null; cartToken: string | null },
) {
  return async <T>(method: string, path: string, opts: ApiCall = {}): Promise<ApiReply<T>> => {
    const headers = new Headers({ accept: "application/json" });
    const rid = c.get("requestId");
    if (typeof rid === "string") headers.set("x-request-id", rid);
    if (!opts.anonymous && s.accessToken) headers.set("authorization", `Bearer ${s.accessToken}`);
    if (!opts.anonymous && s.cartToken) headers.set("x-cart-token", s.cartToken);
    if (opts.key) headers.set("idempotency-key", opts.key);
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(opts.json);
    }
    const r = await app.request(path, { method, headers, body });
    const text = await r.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: r.status, ok: r.ok, body: parsed as T, headers: r.headers };
  };
}

/** Stores a fresh token pair from login/register/refresh in the session cookies. */
export function storeTokens(
  c: Context,
  deps: AppDeps,
  pair: { access_token: string; refresh_token: string },
) {
  setCookie(c, ACCESS, pair.access_token, cookieOpts(c, deps.config.ACCESS_TOKEN_TTL_S));
  setCookie(c, REFRESH, pair.refresh_token, cookieOpts(c, deps.config.REFRESH_TOKEN_TTL_S));
}

/** Forgets the session (sign out). The cart cookie goes too: the cart now belongs to the account. */
export function clearSession(c: Context) {
  deleteCookie(c, ACCESS, { path: "/" });
  deleteCookie(c, REFRESH, { path: "/" });
  deleteCookie(c, CART, { path: "/" });
}

/** Remembers the anonymous cart's token. */
export function storeCartToken(c: Context, token: string) {
  setCookie(c, CART, token, cookieOpts(c, 30 * 86_400));
}

/** Drops the anonymous cart cookie (after sign-in merged it into the account's cart). */
export function dropCartToken(c: Context) {
  deleteCookie(c, CART, { path: "/" });
}

/**
 * Builds the page session: verifies the access cookie, refreshes it with the
 * refresh cookie when it has expired, and refuses cross-site form posts
 * (an Origin or Referer from another host) as a second CSRF line after SameSite.
 */
export function pageSession(app: Hono<AppEnv>, deps: AppDeps) {
  const secret = jwtSecret(deps.config);
  return createMiddleware<PageEnv>(async (c, next) => {
    if (c.req.method === "POST" && !sameOrigin(c)) {
      return c.text("Cross-site form posts are not accepted.", 403);
    }
    let accessToken = getCookie(c, ACCESS) ?? null;
    const cartToken = getCookie(c, CART) ?? null;
    let claims = accessToken ? verifyAccessToken(accessToken, secret) : null;
    const refreshToken = getCookie(c, REFRESH);
    if (!claims && refreshToken) {
      const r = await apiCaller(app, c, { accessToken: null, cartToken: null })<{
        access_token: string;
        refresh_token: string;
      }>("POST", "/api/auth/refresh", { json: { refresh_token: refreshToken } });
      if (r.ok) {
        storeTokens(c, deps, r.body);
        accessToken = r.body.access_token;
        claims = verifyAccessToken(accessToken, secret);
      } else clearSession(c);
    }
    if (!claims) accessToken = null;
    const session: PageSession = {
      user: claims ? userFromClaims(claims) : null,
      accessToken,
      cartToken,
      api: () => Promise.reject(new Error("not ready")),
    };
    // the caller reads the session object itself, so a cart created mid-request is used at once
    session.api = apiCaller(app, c, session);
    c.set("session", session);
    await next();
  });
}

function sameOrigin(c: Context): boolean {
  const source = c.req.header("origin") ?? c.req.header("referer");
  if (!source) return true; // non-browser clients; browsers send Origin on every form POST
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}
