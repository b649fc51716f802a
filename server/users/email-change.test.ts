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

async function account(email: string) {
  const res = await t.request("/api/auth/register", {
    method: "POST",
    json: { email, password: "current-pw-1", name: "Owner" },
  });
  expect(res.status).toBe(201);
  const { access_token } = (await res.json()) as { access_token: string };
  return { authorization: `Bearer ${access_token}` };
}
const patch = (headers: Record<string, string>, json: unknown) =>
  t.request("/api/users/me", { method: "PATCH", headers, json });
const emailOf = async (headers: Record<string, string>) =>
  ((await (await t.request("/api/users/me", { headers })).json()) as { email: string }).email;

test("changing the email needs the current password", async () => {
  const headers = await account("owner.a@example.com");
  const missing = await patch(headers, { email: "thief@example.com" });
  expect(missing.status).toBe(422);
  expect(((await missing.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
    "current_password",
  ]);
  const wrong = await patch(headers, { email: "thief@example.com", current_password: "guess-pw" });
  expect(wrong.status).toBe(422);
  expect(await emailOf(headers)).toBe("owner.a@example.com");
  // Sending the unchanged email along with other fields needs nothing more.
  expect((await patch(headers, { email: "owner.a@example.com", name: "Renamed" })).status).toBe(200);
});

test("an email change is recorded as user.email_changed with the old address", async () => {
  const headers = await account("owner.b@example.com");
  const res = await patch(headers, { email: "owner.b.new@example.com", current_password: "current-pw-1" });
  expect(res.status).toBe(200);
  expect(await emailOf(headers)).toBe("owner.b.new@example.com");
  const rows = await t.database.sql<
    { id: string; type: string; data: Record<string, unknown>; occurred_at: Date }[]
  >`
    select id, type, data, occurred_at from outbox where type = 'user.email_changed'`;
  expect(rows.length).toBe(1);
  expect(rows[0]!.data).toMatchObject({
    old_email: "owner.b@example.com",
    new_email: "owner.b.new@example.com",
  });
  // workers/consumers/email-change.test.ts: the email consumer mails it to old_email.
});
