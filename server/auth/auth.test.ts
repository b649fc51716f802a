import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { jwtSecret } from "../../platform/config.ts";
import { verifyAccessToken } from "../core/tokens.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { MAX_ATTEMPTS } from "./throttle.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface SessionBody {
  user: Record<string, unknown> & { id: number; email: string; role: string };
  access_token: string;
  refresh_token: string;
}
interface Problem {
  type: string;
  status: number;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let n = 0;
const email = () => `user${++n}.${crypto.randomUUID().slice(0, 8)}@example.com`;
const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  t.request(path, { method: "POST", json, headers });

async function registered(e = email(), password = "correct horse") {
  const res = await post("/api/auth/register", { email: e, password, name: "Ada" });
  expect(res.status).toBe(201);
  return (await res.json()) as SessionBody;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("POST /api/auth/register", () => {
  test("201 with user and tokens; email normalised; no password hash; outbox event", async () => {
    const res = await post("/api/auth/register", {
      email: "  Grace.Hopper@Example.COM ",
      password: "s3cret-enough",
      name: " Grace ",
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as SessionBody;
    expect(body.user).toMatchObject({ email: "grace.hopper@example.com", name: "Grace", role: "customer" });
    expect(JSON.stringify(body)).not.toContain("argon2");
    expect(Object.keys(body.user)).not.toContain("password_hash");
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const claims = verifyAccessToken(body.access_token, jwtSecret(t.deps.config));
    expect(claims).toMatchObject({ sub: String(body.user.id), email: body.user.email, role: "customer" });

    const events = await t.database.sql<{ type: string; aggregate_id: string; data: { email: string } }[]>`
      select type, aggregate_id, data from outbox where aggregate_id = ${String(body.user.id)}`;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "user.registered", data: { email: "grace.hopper@example.com" } });
    const [stored] = await t.database.sql<{ password_hash: string }[]>`
      select password_hash from users where id = ${body.user.id}`;
    expect(stored!.password_hash.startsWith("$argon2id$")).toBe(true);
  });

  test("409 on a duplicate email, in any case or spacing", async () => {
    const e = email();
    await registered(e);
    const res = await post("/api/auth/register", {
      email: ` ${e.toUpperCase()}`,
      password: "another-pass",
      name: "B",
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as Problem).status).toBe(409);
  });

  test("422 with field paths", async () => {
    const res = await post("/api/auth/register", { email: "not-an-email", password: "short", name: "" });
    expect(res.status).toBe(422);
    const body = (await res.json()) as Problem;
    expect(body.errors!.map((e) => e.path).sort()).toEqual(["email", "name", "password"]);
    const long = await post("/api/auth/register", { email: email(), password: "x".repeat(257), name: "A" });
    expect(long.status).toBe(422);
    expect(((await long.json()) as Problem).errors![0]!.path).toBe("password");
    const missing = await post("/api/auth/register", {});
    expect(missing.status).toBe(422);
  });

  test("400 on bad JSON, 415 on a non-JSON body", async () => {
    const bad = await t.request("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const form = await t.request("/api/auth/register", { method: "POST", body: "email=a" });
    expect(form.status).toBe(415);
  });
});

describe("POST /api/auth/login", () => {
  test("200 with a session; email matched case-insensitively", async () => {
    const e = email();
    const reg = await registered(e, "p4ssword!");
    const res = await post("/api/auth/login", { email: e.toUpperCase(), password: "p4ssword!" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SessionBody;
    expect(body.user).toEqual(reg.user);
    expect(body.refresh_token).not.toBe(reg.refresh_token);
    expect(JSON.stringify(body)).not.toContain("password");
  });

  test("a password accepted at registration always logs in, whatever its form (NFD, long)", async () => {
    // 256 characters once NFKC-composed (what registration counts and hashes), 512 as typed (NFD).
    const typed = "e\u0301".repeat(256);
    const e = email();
    await registered(e, typed);
    const res = await post("/api/auth/login", { email: e, password: typed });
    expect(res.status).toBe(200);
    // The composed spelling is the same password.
    expect((await post("/api/auth/login", { email: e, password: typed.normalize("NFC") })).status).toBe(200);
  });

  test("401 for a wrong password and for an unknown email, with the same body", async () => {
    const e = email();
    await registered(e, "p4ssword!");
    const wrong = await post("/api/auth/login", { email: e, password: "wrong-password" });
    const unknown = await post("/api/auth/login", { email: email(), password: "wrong-password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  test("422 and 400", async () => {
    const res = await post("/api/auth/login", { email: "x", password: "" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual(["email", "password"]);
    const bad = await t.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[",
    });
    expect(bad.status).toBe(400);
  });

  test(`locks the account after ${MAX_ATTEMPTS} failures: 429 with Retry-After, even with the right password`, async () => {
    const e = email();
    await registered(e, "p4ssword!");
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      expect((await post("/api/auth/login", { email: e, password: `wrong-${i}` })).status).toBe(401);
    }
    const locked = await post("/api/auth/login", { email: e, password: "p4ssword!" });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await locked.json()) as Problem).type).toContain("login-locked");

    // The lock expires with its window.
    await t.database
      .sql`update login_throttle set window_started_at = now() - interval '1 hour' where email = ${e}`;
    expect((await post("/api/auth/login", { email: e, password: "p4ssword!" })).status).toBe(200);
  });

  test("a success resets the failure counter", async () => {
    const e = email();
    await registered(e, "p4ssword!");
    for (let i = 0; i < MAX_ATTEMPTS - 1; i++)
      await post("/api/auth/login", { email: e, password: "nope-nope" });
    expect((await post("/api/auth/login", { email: e, password: "p4ssword!" })).status).toBe(200);
    for (let i = 0; i < MAX_ATTEMPTS - 1; i++)
      await post("/api/auth/login", { email: e, password: "nope-nope" });
    expect((await post("/api/auth/login", { email: e, password: "p4ssword!" })).status).toBe(200);
  });

  test("unknown emails lock exactly like real ones", async () => {
    const e = email();
    for (let i = 0; i < MAX_ATTEMPTS; i++) await post("/api/auth/login", { email: e, password: "whatever1" });
    expect((await post("/api/auth/login", { email: e, password: "whatever1" })).status).toBe(429);
  });

  test("concurrent guesses cannot exceed the limit", async () => {
    const e = email();
    await registered(e, "p4ssword!");
    const results = await Promise.all(
      Array.from({ length: MAX_ATTEMPTS * 3 }, (_, i) =>
        post("/api/auth/login", { email: e, password: `guess-${i}` }),
      ),
    );
    const checked = results.filter((r) => r.status === 401).length;
    expect(checked).toBe(MAX_ATTEMPTS);
    expect(results.filter((r) => r.status === 429).length).toBe(MAX_ATTEMPTS * 2);
  });
});

describe("POST /api/auth/refresh", () => {
  test("rotates: new pair, the old refresh token stops working", async () => {
    const s = await registered();
    const res = await post("/api/auth/refresh", { refresh_token: s.refresh_token });
    expect(res.status).toBe(200);
    const next = (await res.json()) as SessionBody;
    expect(next.refresh_token).not.toBe(s.refresh_token);
    expect(next.user.id).toBe(s.user.id);
    expect(verifyAccessToken(next.access_token, jwtSecret(t.deps.config))?.sub).toBe(String(s.user.id));
    // the new one works once more
    expect((await post("/api/auth/refresh", { refresh_token: next.refresh_token })).status).toBe(200);
  });

  test("reusing a spent token revokes the whole family", async () => {
    const s = await registered();
    const second = (await (
      await post("/api/auth/refresh", { refresh_token: s.refresh_token })
    ).json()) as SessionBody;
    const reuse = await post("/api/auth/refresh", { refresh_token: s.refresh_token });
    expect(reuse.status).toBe(401);
    // The legitimate-looking newest token of the family is dead too.
    expect((await post("/api/auth/refresh", { refresh_token: second.refresh_token })).status).toBe(401);
    const [row] = await t.database.sql<{ live: number }[]>`
      select count(*) filter (where revoked_at is null)::int as live from refresh_tokens where user_id = ${s.user.id}`;
    expect(row!.live).toBe(0);
  });

  test("reuse revokes only that family, not the user's other sessions", async () => {
    const e = email();
    const s = await registered(e, "p4ssword!");
    const other = (await (
      await post("/api/auth/login", { email: e, password: "p4ssword!" })
    ).json()) as SessionBody;
    await post("/api/auth/refresh", { refresh_token: s.refresh_token });
    await post("/api/auth/refresh", { refresh_token: s.refresh_token });
    expect((await post("/api/auth/refresh", { refresh_token: other.refresh_token })).status).toBe(200);
  });

  test("concurrent refreshes with one token: exactly one wins", async () => {
    const s = await registered();
    const results = await Promise.all(
      [1, 2, 3].map(() => post("/api/auth/refresh", { refresh_token: s.refresh_token })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  test("unknown, malformed and expired tokens: 401; missing field: 422; bad JSON: 400", async () => {
    expect((await post("/api/auth/refresh", { refresh_token: "A".repeat(43) })).status).toBe(401);
    expect((await post("/api/auth/refresh", { refresh_token: "short" })).status).toBe(401);
    const s = await registered();
    await t.database
      .sql`update refresh_tokens set expires_at = now() - interval '1 second' where user_id = ${s.user.id}`;
    expect((await post("/api/auth/refresh", { refresh_token: s.refresh_token })).status).toBe(401);
    const missing = await post("/api/auth/refresh", {});
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as Problem).errors![0]!.path).toBe("refresh_token");
    const bad = await t.request("/api/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
  });

  test("only hashes are stored", async () => {
    const s = await registered();
    const rows = await t.database.sql<{ token_hash: Buffer }[]>`
      select token_hash from refresh_tokens where user_id = ${s.user.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash.length).toBe(32);
    expect(rows[0]!.token_hash.toString("base64url")).not.toBe(s.refresh_token);
  });
});

describe("POST /api/auth/logout", () => {
  test("401 without a token", async () => {
    const res = await t.request("/api/auth/logout", { method: "POST" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  test("with a refresh token: revokes that family only", async () => {
    const e = email();
    const a = await registered(e, "p4ssword!");
    const b = (await (
      await post("/api/auth/login", { email: e, password: "p4ssword!" })
    ).json()) as SessionBody;
    const next = (await (
      await post("/api/auth/refresh", { refresh_token: a.refresh_token })
    ).json()) as SessionBody;
    const res = await post(
      "/api/auth/logout",
      { refresh_token: a.refresh_token },
      { authorization: `Bearer ${a.access_token}` },
    );
    expect(res.status).toBe(204);
    expect((await post("/api/auth/refresh", { refresh_token: next.refresh_token })).status).toBe(401);
    expect((await post("/api/auth/refresh", { refresh_token: b.refresh_token })).status).toBe(200);
  });

  test("without a body: ends every session of the user", async () => {
    const e = email();
    const a = await registered(e, "p4ssword!");
    const b = (await (
      await post("/api/auth/login", { email: e, password: "p4ssword!" })
    ).json()) as SessionBody;
    const res = await t.request("/api/auth/logout", {
      method: "POST",
      headers: { authorization: `Bearer ${a.access_token}` },
    });
    expect(res.status).toBe(204);
    expect((await post("/api/auth/refresh", { refresh_token: a.refresh_token })).status).toBe(401);
    expect((await post("/api/auth/refresh", { refresh_token: b.refresh_token })).status).toBe(401);
  });

  test("an empty JSON body counts as no body; a malformed one is 400", async () => {
    const a = await registered();
    const headers = { authorization: `Bearer ${a.access_token}`, "content-type": "application/json" };
    expect((await t.request("/api/auth/logout", { method: "POST", headers, body: "" })).status).toBe(204);
    expect((await post("/api/auth/refresh", { refresh_token: a.refresh_token })).status).toBe(401);
    const b = await registered();
    const bad = await t.request("/api/auth/logout", {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${b.access_token}` },
      body: "{",
    });
    expect(bad.status).toBe(400);
  });

  test("someone else's refresh token is left alone", async () => {
    const a = await registered();
    const b = await registered();
    const res = await post(
      "/api/auth/logout",
      { refresh_token: b.refresh_token },
      { authorization: `Bearer ${a.access_token}` },
    );
    expect(res.status).toBe(204);
    expect((await post("/api/auth/refresh", { refresh_token: b.refresh_token })).status).toBe(200);
  });
});

describe("login throttle housekeeping", () => {
  test("sweepExpired removes only ended windows", async () => {
    const { sweepExpired } = await import("./throttle.ts");
    const old = email();
    const fresh = email();
    await post("/api/auth/login", { email: old, password: "whatever1" });
    await post("/api/auth/login", { email: fresh, password: "whatever1" });
    await t.database
      .sql`update login_throttle set window_started_at = now() - interval '1 hour' where email = ${old}`;
    await sweepExpired(t.deps.db.primary);
    const rows = await t.database.sql<{ email: string }[]>`
      select email from login_throttle where email in (${old}, ${fresh})`;
    expect(rows.map((r) => r.email)).toEqual([fresh]);
  });
});
