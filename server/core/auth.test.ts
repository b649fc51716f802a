import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Hono } from "hono";
import { jwtSecret } from "../../platform/config.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { type AuthEnv, authenticate, requireAuth, requireRole } from "./auth.ts";
import type { AuthUser } from "./roles.ts";
import { nowSeconds, signAccessToken } from "./tokens.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let t: TestApp;
let secret: string;
const customer: AuthUser = { id: 7, email: "c@example.com", role: "customer" };
const staff: AuthUser = { id: 8, email: "s@example.com", role: "staff" };

beforeAll(async () => {
  t = await createTestApp({
    modules: [
      (app, deps) => {
        const r = new Hono<AuthEnv>();
        r.use(authenticate(deps));
        r.get("/t/optional", (c) => c.json({ user: c.get("user") ?? null }));
        r.get("/t/me", requireAuth(), (c) => c.json(c.get("user")));
        r.get("/t/staff", requireRole("staff", "admin"), (c) => c.json({ ok: true }));
        app.route("/", r);
      },
    ],
  });
  secret = jwtSecret(t.deps.config);
});
afterAll(() => t.close());

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const token = (u: AuthUser, now?: number) => signAccessToken(u, { secret, ttlSeconds: 900, now });

describe("authenticate", () => {
  test("no header: anonymous", async () => {
    const res = await t.request("/t/optional");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: null });
  });

  test("valid token sets the user", async () => {
    const res = await t.request("/t/optional", bearer(token(customer)));
    expect(await res.json()).toEqual({ user: customer });
  });

  test("expired token: 401 problem with WWW-Authenticate", async () => {
    const res = await t.request("/t/optional", bearer(token(customer, nowSeconds() - 3600)));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { status: number; type: string };
    expect(body.status).toBe(401);
  });

  test("tampered payload: 401", async () => {
    const [h, , s] = token(customer).split(".");
    const forged = Buffer.from(JSON.stringify({ ...customer, sub: "7", role: "admin" })).toString(
      "base64url",
    );
    const res = await t.request("/t/optional", bearer(`${h}.${forged}.${s}`));
    expect(res.status).toBe(401);
  });

  test("wrong secret: 401", async () => {
    const other = signAccessToken(customer, { secret: "x".repeat(40), ttlSeconds: 900 });
    expect((await t.request("/t/me", bearer(other))).status).toBe(401);
  });

  test("malformed header: 401", async () => {
    for (const value of ["Bearer", "Basic abc", "Bearer not-a-jwt", "Bearer a.b.c"]) {
      const res = await t.request("/t/optional", { headers: { authorization: value } });
      expect(res.status).toBe(401);
    }
  });
});

describe("requireAuth / requireRole", () => {
  test("requireAuth without token: 401 with WWW-Authenticate: Bearer", async () => {
    const res = await t.request("/t/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  test("requireAuth with token: the user", async () => {
    const res = await t.request("/t/me", bearer(token(customer)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(customer);
  });

  test("requireRole: 401 without token, 403 wrong role, 200 right role", async () => {
    expect((await t.request("/t/staff")).status).toBe(401);
    const denied = await t.request("/t/staff", bearer(token(customer)));
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { status: number }).status).toBe(403);
    expect((await t.request("/t/staff", bearer(token(staff)))).status).toBe(200);
  });
});
