import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { authModule } from "../auth/routes.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { usersModule } from "./routes.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ modules: [authModule, usersModule] });
});
afterAll(() => t.close());

// Texts that would reach an email: a CR/LF could end a header or, with a dot, the message.
const hostile = [
  "Eve\r.\r\nMAIL FROM:<x@evil.example>",
  "Eve\nBcc: x@evil.example",
  "Eve\r Smith",
  "a\tb",
  "a\u0085b",
  "\u001b[31mred",
];

const errorPaths = async (res: Response) =>
  ((await res.json()) as { errors?: { path: string }[] }).errors?.map((e) => e.path) ?? [];

test("registration refuses control characters in the name (422 on name)", async () => {
  for (const name of hostile) {
    const res = await t.request("/api/auth/register", {
      method: "POST",
      json: { email: `cc.${crypto.randomUUID().slice(0, 8)}@example.com`, password: "long-enough-pw", name },
    });
    expect(res.status).toBe(422);
    expect(await errorPaths(res)).toEqual(["name"]);
  }
  const [row] = await t.database.sql`select count(*)::int as n from users`;
  expect(row!.n).toBe(0);
});

test("profile and address updates refuse them too", async () => {
  const reg = await t.request("/api/auth/register", {
    method: "POST",
    json: { email: "cc.ok@example.com", password: "long-enough-pw", name: "Plain Name" },
  });
  expect(reg.status).toBe(201);
  const { access_token } = (await reg.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${access_token}` };
  for (const name of hostile) {
    const res = await t.request("/api/users/me", { method: "PATCH", headers, json: { name } });
    expect(res.status).toBe(422);
  }
  const address = {
    name: "Home\r\n.",
    line1: "1 Main St",
    city: "Springfield",
    postal_code: "12345",
    country: "US",
  };
  const res = await t.request("/api/users/me/addresses", { method: "POST", headers, json: address });
  expect(res.status).toBe(422);
  expect(await errorPaths(res)).toEqual(["name"]);
  // Ordinary Unicode names still pass.
  const ok = await t.request("/api/users/me", { method: "PATCH", headers, json: { name: "Zoë Ñúñez-李" } });
  expect(ok.status).toBe(200);
});
