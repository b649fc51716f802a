import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { createLogger } from "../../platform/logger.ts";
import type { DomainEvent } from "../../server/core/outbox.ts";
import type { Resolver } from "../../server/events/webhook-url.ts";
import { RefusedDestinationError, safePost } from "./safe-fetch.ts";
import { webhookConsumer } from "./webhooks.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

const logger = createLogger("silent");
let t: TestDatabase;
let hits: { path: string; host: string | null }[];
let receiver: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  t = await createTestDatabase("webhook_ssrf");
  hits = [];
  receiver = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      const path = new URL(req.url).pathname;
      hits.push({ path, host: req.headers.get("host") });
      if (path === "/redirect") return new Response(null, { status: 302, headers: { Location: "/secret" } });
      return new Response("ok");
    },
  });
});
afterAll(async () => {
  receiver.stop(true);
  await t.drop();
});

const event = (): DomainEvent => ({
  id: crypto.randomUUID(),
  type: "order.paid",
  occurred_at: new Date().toISOString(),
  data: { order_id: "o1" },
});
const post = (url: string, extra: Partial<Parameters<typeof safePost>[1]> = {}) =>
  safePost(url, { headers: {}, body: "{}", timeoutMs: 5000, allowPrivate: false, ...extra });

test("a stored endpoint whose name resolves to loopback is refused at delivery, nothing is sent", async () => {
  // As if it got in before the registration check existed, or its DNS changed since.
  const [ep] = await t.sql<{ id: string }[]>`
    insert into webhook_endpoints (url, events, secret)
    values (${`http://localhost:${receiver.port}/hook`}, ${["order.paid"]}, 'whsec_x') returning id`;
  try {
    const ev = event();
    await expect(webhookConsumer(t.sql, logger).handle(ev)).rejects.toThrow("refused destination");
    expect(hits).toEqual([]);
    const [row] = await t.sql<{ status_code: number | null; error: string }[]>`
      select status_code, error from webhook_deliveries where event_id = ${ev.id}`;
    expect(row!.status_code).toBeNull();
    expect(row!.error).toContain("loopback");
  } finally {
    await t.sql`delete from webhook_endpoints where id = ${ep!.id}`;
  }
});

test("literal private addresses are refused at delivery too", async () => {
  for (const url of [
    `http://127.0.0.1:${receiver.port}/`,
    `http://2130706433:${receiver.port}/`,
    `http://[::ffff:127.0.0.1]:${receiver.port}/`,
  ])
    await expect(post(url)).rejects.toBeInstanceOf(RefusedDestinationError);
  expect(hits).toEqual([]);
});

test("the host is resolved once and the connection goes to the checked address, name kept in Host", async () => {
  let lookups = 0;
  const resolve: Resolver = async () => {
    lookups++;
    return [{ address: "127.0.0.1", family: 4 }];
  };
  const status = await post(`http://hooks.example.test:${receiver.port}/pinned`, {
    allowPrivate: true,
    resolve,
  });
  expect(status).toBe(200);
  expect(lookups).toBe(1);
  expect(hits.at(-1)).toEqual({ path: "/pinned", host: `hooks.example.test:${receiver.port}` });
});

test("a rebinding answer is refused when any address is private", async () => {
  const resolve: Resolver = async () => [
    { address: "93.184.216.34", family: 4 },
    { address: "127.0.0.1", family: 4 },
  ];
  await expect(post("http://rebind.example.test/", { resolve })).rejects.toThrow("loopback");
});

test("redirects are not followed", async () => {
  const before = hits.length;
  const status = await post(`http://127.0.0.1:${receiver.port}/redirect`, { allowPrivate: true });
  expect(status).toBe(302);
  expect(hits.slice(before).map((h) => h.path)).toEqual(["/redirect"]);
});
