import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { childEnv } from "../testing/child-env.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { ensureAdmin } from "./bootstrap-admin.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let t: TestApp;
const email = () => `admin.${crypto.randomUUID().slice(0, 10)}@example.com`;
const root = join(import.meta.dir, "..", "..");

function runScript(args: string[], env: Record<string, string> = {}) {
  const p = Bun.spawnSync(["bun", "scripts/create-admin.ts", ...args], {
    cwd: root,
    env: childEnv({ NODE_ENV: "test", DATABASE_URL: t.database.url, LOG_LEVEL: "silent", ...env }),
  });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

const login = (e: string, password: string) =>
  t.request("/api/auth/login", { method: "POST", json: { email: e, password } });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("ensureAdmin", () => {
  test("creates an admin who can log in, with a user.registered event", async () => {
    const e = email();
    const r = await ensureAdmin(t.deps.db, { email: ` ${e.toUpperCase()}`, password: "admin-pass-1" });
    expect(r).toMatchObject({ created: true, user: { email: e, role: "admin", name: "Administrator" } });
    const res = await login(e, "admin-pass-1");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe("admin");
    const [ev] = await t.database.sql`select type from outbox where aggregate_id = ${String(r.user.id)}`;
    expect(ev?.type).toBe("user.registered");
  });

  test("an existing account is refused without promote and keeps its role", async () => {
    const e = email();
    const reg = await t.request("/api/auth/register", {
      method: "POST",
      json: { email: e, password: "customer-pw", name: "C" },
    });
    expect(reg.status).toBe(201);
    await expect(ensureAdmin(t.deps.db, { email: e, password: "admin-pw-123" })).rejects.toThrow("--promote");
    await expect(ensureAdmin(t.deps.db, { email: e })).rejects.toThrow("--promote");
    const [row] = await t.database.sql`select role from users where email = ${e}`;
    expect(row!.role).toBe("customer");
    expect((await login(e, "customer-pw")).status).toBe(200);
    expect((await login(e, "admin-pw-123")).status).toBe(401);
  });

  test("promote with a password replaces the password and ends the account's sessions", async () => {
    const e = email();
    const reg = await t.request("/api/auth/register", {
      method: "POST",
      json: { email: e, password: "squatter-pw", name: "Squatter" },
    });
    const { refresh_token } = (await reg.json()) as { refresh_token: string };
    const r = await ensureAdmin(t.deps.db, { email: e, password: "operator-pw", promote: true });
    expect(r).toMatchObject({ created: false, passwordChanged: true, user: { role: "admin" } });
    expect((await login(e, "squatter-pw")).status).toBe(401);
    expect((await login(e, "operator-pw")).status).toBe(200);
    const refreshed = await t.request("/api/auth/refresh", { method: "POST", json: { refresh_token } });
    expect(refreshed.status).toBe(401);
    // Promote without a password keeps it; an unknown email without one is refused.
    expect(await ensureAdmin(t.deps.db, { email: e, promote: true })).toMatchObject({
      passwordChanged: false,
    });
    expect((await login(e, "operator-pw")).status).toBe(200);
    await expect(ensureAdmin(t.deps.db, { email: email() })).rejects.toThrow("--password");
  });

  test("validates email and password", async () => {
    await expect(ensureAdmin(t.deps.db, { email: "nope", password: "long-enough" })).rejects.toThrow();
    await expect(ensureAdmin(t.deps.db, { email: email(), password: "short" })).rejects.toThrow();
  });
});

describe("bun run create-admin", () => {
  test("creates, then promotes idempotently; the admin logs in as admin", async () => {
    const e = email();
    const first = runScript(["--email", e, "--password", "script-pass-1", "--name", "Root"]);
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toContain("admin created");
    const again = runScript(["--email", e]);
    expect(again.code).toBe(0);
    expect(again.out).toContain("admin promoted");
    const res = await login(e, "script-pass-1");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string; name: string } }).user).toMatchObject({
      role: "admin",
      name: "Root",
    });
  });

  test("an existing account needs --promote", async () => {
    const e = email();
    await t.request("/api/auth/register", {
      method: "POST",
      json: { email: e, password: "customer-pw", name: "C" },
    });
    const refused = runScript(["--email", e, "--password", "script-pass-2"]);
    expect(refused.code).toBe(64);
    expect(refused.err).toContain("--promote");
    const promoted = runScript(["--email", e, "--password", "script-pass-2", "--promote"]);
    expect(promoted.code).toBe(0);
    expect(promoted.out).toContain("password replaced");
    expect((await login(e, "script-pass-2")).status).toBe(200);
  });

  test("bad usage exits 64", () => {
    expect(runScript([]).code).toBe(64);
    expect(runScript(["--email", "x@example.com", "--bogus"]).code).toBe(64);
    expect(runScript(["--email", "not-an-email", "--password", "long-enough"]).code).toBe(64);
    expect(runScript(["--email", email()]).code).toBe(64);
  });
});
