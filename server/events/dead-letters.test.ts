import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { recordEvent } from "../core/outbox.ts";
import { userWithToken } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";

// Real services and processes: more than bun's 5 s default (the preload's default reaches only the first file).
setDefaultTimeout(60_000);

/** `GET /api/admin/dead-letters?include_replayed=`: replayed letters are hidden unless asked for. */
interface DeadLetterPage {
  items: { id: string; consumer: string; replayed_at: string | null }[];
  total: number;
}

let t: TestApp;
let admin: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await userWithToken(t, "admin")).headers;
});
afterAll(() => t.close());

async function deadLetter(consumer: string): Promise<string> {
  const event = await t.database.db.tx((tx) => recordEvent(tx, "order.paid", { order_id: consumer }));
  await t.database.sql`update outbox set published_at = now() where id = ${event.id}`;
  const [row] = await t.database.sql<{ id: string }[]>`
    insert into dead_letters (consumer, event_id, event, error, attempts)
    values (${consumer}, ${event.id}, ${t.database.sql.json({ id: event.id })}, 'HTTP 500', 5) returning id`;
  return String(row!.id);
}

async function list(query: string): Promise<DeadLetterPage> {
  const res = await t.request(`/api/admin/dead-letters${query}`, { headers: admin });
  expect(res.status).toBe(200);
  return (await res.json()) as DeadLetterPage;
}

test("replayed dead letters are listed only with include_replayed=true, with their replayed_at", async () => {
  const replayed = await deadLetter("webhooks");
  const open = await deadLetter("email");
  const res = await t.request(`/api/admin/dead-letters/${replayed}/replay`, {
    method: "POST",
    headers: admin,
  });
  expect(res.status).toBe(202);

  for (const query of ["", "?include_replayed=false"]) {
    const page = await list(query);
    expect(page.total).toBe(1);
    expect(page.items.map((i) => [String(i.id), i.replayed_at])).toEqual([[open, null]]);
  }
  const all = await list("?include_replayed=true");
  expect(all.total).toBe(2);
  expect(all.items.map((i) => String(i.id))).toEqual([open, replayed]); // newest first
  expect(all.items[0]!.replayed_at).toBeNull();
  expect(all.items[1]!.replayed_at).not.toBeNull();
  expect(Date.parse(all.items[1]!.replayed_at!)).not.toBeNaN();
});

test("include_replayed takes only true or false", async () => {
  const res = await t.request("/api/admin/dead-letters?include_replayed=yes", { headers: admin });
  expect(res.status).toBe(422);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
});
