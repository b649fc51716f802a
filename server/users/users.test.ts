import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { jwtSecret } from "../../platform/config.ts";
import { signAccessToken } from "../core/tokens.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { getUserById } from "./queries.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface Session {
  user: { id: number; email: string; name: string; role: string };
  access_token: string;
  refresh_token: string;
}
interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}
interface Address {
  id: number;
  name: string;
  line2: string | null;
  country: string;
  is_default: boolean;
}

let t: TestApp;
const email = () => `u.${crypto.randomUUID().slice(0, 12)}@example.com`;
const auth = (s: Session) => ({ authorization: `Bearer ${s.access_token}` });

async function register(password = "p4ssword!"): Promise<Session> {
  const res = await t.request("/api/auth/register", {
    method: "POST",
    json: { email: email(), password, name: "Ada" },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Session;
}

const address = {
  name: "Ada Lovelace",
  line1: "12 St James's Square",
  city: "London",
  postal_code: "SW1Y 4JH",
  country: "gb",
};

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("GET /api/users/me", () => {
  test("401 without a token, with an expired one, with a tampered one", async () => {
    const s = await register();
    expect((await t.request("/api/users/me")).status).toBe(401);
    const expired = signAccessToken(
      { id: s.user.id, email: s.user.email, role: "customer" },
      {
        secret: jwtSecret(t.deps.config),
        ttlSeconds: 60,
        now: Math.floor(Date.now() / 1000) - 120,
      },
    );
    expect(
      (await t.request("/api/users/me", { headers: { authorization: `Bearer ${expired}` } })).status,
    ).toBe(401);
    const [h, p, sig] = s.access_token.split(".");
    const flipped = `${h}.${p}.${sig!.startsWith("A") ? "B" : "A"}${sig!.slice(1)}`;
    expect(
      (await t.request("/api/users/me", { headers: { authorization: `Bearer ${flipped}` } })).status,
    ).toBe(401);
  });

  test("the caller's profile, without credentials", async () => {
    const s = await register();
    const res = await t.request("/api/users/me", { headers: auth(s) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: s.user.id, email: s.user.email, name: "Ada", role: "customer" });
    expect(Object.keys(body).sort()).toEqual(["created_at", "email", "id", "name", "role", "updated_at"]);
  });

  test("getUserById is exported for other modules", async () => {
    const s = await register();
    expect(await getUserById(t.deps.db.primary, s.user.id)).toMatchObject({ email: s.user.email });
    expect(await getUserById(t.deps.db.primary, 987654321)).toBeNull();
  });
});

describe("PATCH /api/users/me", () => {
  const patch = (s: Session, json: unknown) =>
    t.request("/api/users/me", { method: "PATCH", json, headers: auth(s) });

  test("updates name and email (normalised); the next read sees it", async () => {
    const s = await register();
    const e = email();
    const res = await patch(s, {
      name: " Countess ",
      email: ` ${e.toUpperCase()} `,
      current_password: "p4ssword!",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Countess", email: e });
    expect(await (await t.request("/api/users/me", { headers: auth(s) })).json()).toMatchObject({ email: e });
  });

  test("409 when the email belongs to another account", async () => {
    const a = await register();
    const b = await register();
    expect((await patch(a, { email: b.user.email, current_password: "p4ssword!" })).status).toBe(409);
  });

  test("422: unknown keys (role), empty patch, bad values, with field paths", async () => {
    const s = await register();
    const role = await patch(s, { role: "admin" });
    expect(role.status).toBe(422);
    expect(((await role.json()) as Problem).errors![0]!.message).toBeTruthy();
    expect((await patch(s, {})).status).toBe(422);
    const bad = await patch(s, { name: "", email: "nope" });
    expect(((await bad.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual(["email", "name"]);
    const noCurrent = await patch(s, { password: "new-password-1" });
    expect(((await noCurrent.json()) as Problem).errors!.map((e) => e.path)).toEqual(["current_password"]);
  });

  test("400 on bad JSON, 401 without a token", async () => {
    const s = await register();
    const res = await t.request("/api/users/me", {
      method: "PATCH",
      headers: { ...auth(s), "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
    expect((await t.request("/api/users/me", { method: "PATCH", json: { name: "x" } })).status).toBe(401);
  });

  test("password change needs the current password and ends refresh sessions", async () => {
    const s = await register("old-password");
    const wrong = await patch(s, { password: "new-password", current_password: "not-it-at-all" });
    expect(wrong.status).toBe(422);
    const ok = await patch(s, { password: "new-password", current_password: "old-password" });
    expect(ok.status).toBe(200);
    const refresh = await t.request("/api/auth/refresh", {
      method: "POST",
      json: { refresh_token: s.refresh_token },
    });
    expect(refresh.status).toBe(401);
    const login = (pw: string) =>
      t.request("/api/auth/login", { method: "POST", json: { email: s.user.email, password: pw } });
    expect((await login("old-password")).status).toBe(401);
    expect((await login("new-password")).status).toBe(200);
  });
});

describe("/api/users/me/addresses", () => {
  const add = (s: Session, json: unknown) =>
    t.request("/api/users/me/addresses", { method: "POST", json, headers: auth(s) });

  test("401 without a token on every route", async () => {
    expect((await t.request("/api/users/me/addresses")).status).toBe(401);
    expect((await t.request("/api/users/me/addresses", { method: "POST", json: address })).status).toBe(401);
    expect((await t.request("/api/users/me/addresses/1")).status).toBe(401);
    expect((await t.request("/api/users/me/addresses/1", { method: "DELETE" })).status).toBe(401);
  });

  test("create, list, read, delete; the first address is the default", async () => {
    const s = await register();
    const first = await add(s, address);
    expect(first.status).toBe(201);
    const a1 = (await first.json()) as Address;
    expect(a1).toMatchObject({ name: "Ada Lovelace", country: "GB", line2: null, is_default: true });

    const a2 = (await (
      await add(s, { ...address, line1: "Elsewhere 1", line2: "Flat 2" })
    ).json()) as Address;
    expect(a2.is_default).toBe(false);
    const a3 = (await (await add(s, { ...address, line1: "Home 3", is_default: true })).json()) as Address;
    expect(a3.is_default).toBe(true);

    const list = await t.request("/api/users/me/addresses", { headers: auth(s) });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: Address[]; page: number; page_size: number; total: number };
    expect(body.total).toBe(3);
    expect(body.page).toBe(1);
    expect(body.items[0]!.id).toBe(a3.id);
    expect(body.items.filter((a) => a.is_default)).toHaveLength(1);

    const paged = (await (
      await t.request("/api/users/me/addresses?page=2&page_size=2", { headers: auth(s) })
    ).json()) as { items: Address[]; total: number };
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBe(3);

    const one = await t.request(`/api/users/me/addresses/${a2.id}`, { headers: auth(s) });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: a2.id, line2: "Flat 2" });

    const del = await t.request(`/api/users/me/addresses/${a2.id}`, { method: "DELETE", headers: auth(s) });
    expect(del.status).toBe(204);
    expect((await t.request(`/api/users/me/addresses/${a2.id}`, { headers: auth(s) })).status).toBe(404);
    expect(
      (await t.request(`/api/users/me/addresses/${a2.id}`, { method: "DELETE", headers: auth(s) })).status,
    ).toBe(404);
  });

  test("another user's addresses are not visible: 404 and absent from the list", async () => {
    const owner = await register();
    const other = await register();
    const a = (await (await add(owner, address)).json()) as Address;
    expect((await t.request(`/api/users/me/addresses/${a.id}`, { headers: auth(other) })).status).toBe(404);
    expect(
      (await t.request(`/api/users/me/addresses/${a.id}`, { method: "DELETE", headers: auth(other) })).status,
    ).toBe(404);
    const list = (await (await t.request("/api/users/me/addresses", { headers: auth(other) })).json()) as {
      items: Address[];
    };
    expect(list.items).toHaveLength(0);
    expect((await t.request(`/api/users/me/addresses/${a.id}`, { headers: auth(owner) })).status).toBe(200);
  });

  test("422 with field paths, 400 on bad JSON, 404 on a non-numeric id, 422 on a bad page", async () => {
    const s = await register();
    const res = await add(s, { ...address, country: "Britain", city: "", postal_code: undefined });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual([
      "city",
      "country",
      "postal_code",
    ]);
    const bad = await t.request("/api/users/me/addresses", {
      method: "POST",
      headers: { ...auth(s), "content-type": "application/json" },
      body: "nope",
    });
    expect(bad.status).toBe(400);
    expect((await t.request("/api/users/me/addresses/abc", { headers: auth(s) })).status).toBe(404);
    const capped = await t.request("/api/users/me/addresses?page_size=1000", { headers: auth(s) });
    expect(capped.status).toBe(200);
    expect(((await capped.json()) as { page_size: number }).page_size).toBe(100);
    const page = await t.request("/api/users/me/addresses?page_size=0", { headers: auth(s) });
    expect(page.status).toBe(422);
    expect(((await page.json()) as Problem).errors![0]!.path).toBe("page_size");
  });

  test("concurrent default addresses leave exactly one default", async () => {
    const s = await register();
    await Promise.all(
      [1, 2, 3, 4].map((i) => add(s, { ...address, line1: `Street ${i}`, is_default: true })),
    );
    const list = (await (await t.request("/api/users/me/addresses", { headers: auth(s) })).json()) as {
      items: Address[];
    };
    expect(list.items).toHaveLength(4);
    expect(list.items.filter((a) => a.is_default)).toHaveLength(1);
  });
});
