import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import type { DomainEvent } from "../../server/core/outbox.ts";
import { composeEmail, emailConsumer } from "./email.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("email_change");
});
afterAll(() => t.drop());

test("user.email_changed is mailed to the old address, naming the new one", async () => {
  // The account already has its new address: the mail must not go there.
  const [u] = await t.sql<{ id: string }[]>`
    insert into users (email, password_hash, name) values ('new@example.com', 'x', 'Owner') returning id`;
  const event: DomainEvent = {
    id: crypto.randomUUID(),
    type: "user.email_changed",
    occurred_at: new Date().toISOString(),
    data: { user_id: Number(u!.id), old_email: "old@example.com", new_email: "new@example.com" },
  };
  expect(emailConsumer(t.sql, { send: async () => {} }).types).toContain("user.email_changed");
  const mail = await composeEmail(t.sql, event);
  expect(mail?.to).toBe("old@example.com");
  expect(mail?.text).toContain("new@example.com");
});
