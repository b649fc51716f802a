import type { Context, Hono, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { jwtSecret } from "../../platform/config.ts";
import { forbidden, HttpProblem, unauthorized } from "../../platform/problem.ts";
import type { AppDeps, AppEnv } from "./deps.ts";
import { type AuthUser, type Role, STAFF_ROLES } from "./roles.ts";
import { userFromClaims, verifyAccessToken } from "./tokens.ts";
import { loadWriteFence, saveWriteFence } from "./write-fence.ts";

export type { AuthUser, Role } from "./roles.ts";

/** Hono environment of routes behind `authenticate`: `c.get("user")` is the caller, if any. */
export interface AuthEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { user?: AuthUser };
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Reads `Authorization: Bearer <access token>`. No header: the request goes
 * on anonymously (`user` undefined). A header that is malformed, or a token
 * that is expired, tampered with or signed otherwise: 401 problem, because a
 * client that sent credentials should learn they no longer work rather than
 * silently be treated as anonymous. Running it twice is harmless.
 */
export function authenticate(deps: AppDeps): MiddlewareHandler<AuthEnv> {
  const secret = jwtSecret(deps.config);
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (c.get("user")) return next();
    const header = c.req.header("authorization");
    if (header === undefined) return next();
    const token = BEARER.exec(header)?.[1];
    const claims = token ? verifyAccessToken(token, secret) : null;
    if (!claims) throw invalidToken();
    const user = userFromClaims(claims);
    c.set("user", user);
    // Read-your-writes across requests: this caller's earlier commits bound where reads may go.
    await loadWriteFence(deps, `user:${user.id}`);
    await next();
    await saveWriteFence(deps, `user:${user.id}`);
  });
}

function invalidToken(): HttpProblem {
  // RFC 6750 error code, so that the client knows to refresh rather than re-login.
  return new HttpProblem(
    401,
    "invalid-token",
    "The access token is invalid or has expired.",
    undefined,
    undefined,
    {
      "WWW-Authenticate": 'Bearer error="invalid_token"',
    },
  );
}

/** 401 problem (with `WWW-Authenticate: Bearer`) unless `authenticate` found a caller. */
export function requireAuth(): MiddlewareHandler<AuthEnv> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (!c.get("user")) throw unauthorized();
    return next();
  });
}

/** 401 without a caller; 403 when the caller's role is not one of `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const user = c.get("user");
    if (!user) throw unauthorized();
    if (!roles.includes(user.role)) throw forbidden();
    return next();
  });
}

/** The caller of a route behind `requireAuth`/`requireRole`; throws 401 if there is none. */
export function currentUser(c: Context<AuthEnv>): AuthUser {
  const user = c.get("user");
  if (!user) throw unauthorized();
  return user;
}

/**
 * Mounts staff-only route groups (`/api/admin/*`): each path and everything
 * under it answers 401 without a token and 403 for customers before any
 * handler runs. The one way admin routes are guarded.
 */
export function mountStaffRoutes(
  app: Hono<AppEnv>,
  deps: AppDeps,
  groups: readonly (readonly [path: string, routes: Hono<AuthEnv>])[],
): void {
  const guard = [authenticate(deps), requireRole(...STAFF_ROLES)] as const;
  for (const [path, routes] of groups) {
    app.use(path, ...guard);
    app.use(`${path}/*`, ...guard);
    app.route(path, routes);
  }
}
