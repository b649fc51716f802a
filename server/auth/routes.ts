import { Hono } from "hono";
import { z } from "zod";
import { jwtSecret } from "../../platform/config.ts";
import { jsonBody } from "../../platform/validate.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import { clientIp } from "../core/client-ip.ts";
import type { RouteModule } from "../core/deps.ts";
import { emailSchema, nameSchema, newPasswordSchema, profilePatch } from "../users/schemas.ts";
import { updateProfile } from "./account.ts";
import { prepareDummyHash } from "./passwords.ts";
import { type AuthSettings, login, logout, refresh, register } from "./service.ts";

const registerBody = z.object({ email: emailSchema, password: newPasswordSchema, name: nameSchema });
// Login does not apply the new-password rules: a wrong password is a 401, not a 422. The
// bound is on the typed form, which can be several times longer than the NFKC form that
// registration limits to 256 characters (decomposed accents, Hangul jamo); 4096 covers it.
const loginBody = z.object({
  email: emailSchema,
  password: z.string().min(1, "must not be empty").max(4096),
});
const refreshBody = z.object({ refresh_token: z.string().min(1, "must not be empty").max(512) });
const logoutBody = z.object({ refresh_token: z.string().min(1).max(512).optional() });

/**
 * `/api/auth/*` (register, login, refresh, logout) and `PATCH /api/users/me`
 * (name, email and password changes: the current password is checked and
 * throttled like a login). Mount it before the users module.
 */
export const authModule: RouteModule = (app, deps) => {
  const settings: AuthSettings = {
    db: deps.db,
    secret: jwtSecret(deps.config),
    accessTtlS: deps.config.ACCESS_TOKEN_TTL_S,
    refreshTtlS: deps.config.REFRESH_TOKEN_TTL_S,
  };
  void prepareDummyHash();
  const r = new Hono<AuthEnv>();
  // Answers carry tokens: no cache may keep them (RFC 6749 section 5.1).
  r.use(async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });

  r.post("/register", async (c) => c.json(await register(settings, await jsonBody(c, registerBody)), 201));
  r.post("/login", async (c) => c.json(await login(settings, await jsonBody(c, loginBody), clientIp(c))));
  r.post("/refresh", async (c) => {
    const body = await jsonBody(c, refreshBody);
    return c.json(await refresh(settings, body.refresh_token));
  });
  r.post("/logout", authenticate(deps), requireAuth(), async (c) => {
    // The body is optional: without a refresh token, every session of the user ends.
    // Hono caches the text, so jsonBody can still parse it afterwards.
    const empty = (await c.req.text()).trim() === "";
    const body = empty ? {} : await jsonBody(c, logoutBody);
    await logout(settings, currentUser(c).id, body.refresh_token);
    return c.body(null, 204);
  });

  app.route("/api/auth", r);

  app.patch(
    "/api/users/me",
    authenticate(deps),
    requireAuth(),
    async (c, next) => {
      await next();
      // Personal data: shared caches must not keep it.
      c.header("Cache-Control", "private, no-store");
    },
    async (c) => c.json(await updateProfile(deps.db, currentUser(c).id, await jsonBody(c, profilePatch))),
  );
};
