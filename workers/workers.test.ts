import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHmac } from "node:crypto";
import amqp from "amqplib";
import { createTestDatabase, type TestDatabase, testAmqpUrl } from "../db/testing.ts";
import { createLogger } from "../platform/logger.ts";
import { type DomainEvent, type EventType, recordEvent } from "../server/core/outbox.ts";
import { webhookConsumer } from "./consumers/webhooks.ts";
import { createInProcessTransport } from "./in-process.ts";
import { createRabbitTransport } from "./rabbitmq.ts";
import { relayBatch, startRelay } from "./relay.ts";
import type { EventTransport } from "./transport.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

const logger = createLogger("silent");
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("workers");
});
afterAll(async () => {
  await t.drop();
});

async function emit(type: EventType, data: Record<string, unknown>): Promise<string> {
  return t.db.tx(async (tx) => (await recordEvent(tx, type, data)).id);
}

async function until(cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(25);
  }
}

const unpublished = async () =>
  Number(
    (await t.sql<{ n: number }[]>`select count(*)::int as n from outbox where published_at is null`)[0]!.n,
  );
const fastRetry = { maxAttempts: 3, backoffMs: () => 20 };

describe("outbox relay, in process", () => {
  test("events reach each consumer once, in commit order, and are marked published", async () => {
    const seen: string[] = [];
    const transport = createInProcessTransport(t.sql, logger, fastRetry);
    await transport.subscribe({
      name: "recorder",
      types: ["order.placed"],
      handle: async (e) => void seen.push(e.id),
    });
    const ids = [
      await emit("order.placed", { n: 1 }),
      await emit("order.placed", { n: 2 }),
      await emit("user.registered", { n: 3 }),
    ];
    const relay = startRelay(t.sql, transport, logger, { pollMs: 50 });
    try {
      await until(async () => (await unpublished()) === 0);
    } finally {
      await relay.stop();
    }
    expect(seen).toEqual(ids.slice(0, 2));
    // A redelivered event is recognised and skipped.
    const [row] = await t.sql<
      { id: string; type: EventType; data: Record<string, unknown>; occurred_at: Date }[]
    >`
      select id, type, data, occurred_at from outbox where id = ${ids[0]!}`;
    await transport.publish([
      { id: row!.id, type: row!.type, data: row!.data, occurred_at: row!.occurred_at.toISOString() },
    ]);
    expect(seen.length).toBe(2);
  });

  test("when the transport is down, events wait in the outbox and go out after it recovers", async () => {
    let up = false;
    const delivered: string[] = [];
    const flaky: EventTransport = {
      kind: "in-process",
      async publish(events) {
        if (!up) throw new Error("broker unreachable");
        for (const e of events) delivered.push(e.id);
      },
      async subscribe() {},
      async close() {},
      status: () => ({ connected: up, since: new Date().toISOString(), reconnects: 0, lastError: null }),
      onConnected() {},
      backlog: async () => ({}),
    };
    const id = await emit("product.updated", { slug: "x" });
    await expect(relayBatch(t.sql, flaky)).rejects.toThrow("broker unreachable");
    expect(await unpublished()).toBe(1);
    up = true;
    expect(await relayBatch(t.sql, flaky)).toBe(1);
    expect(delivered).toEqual([id]);
    expect(await unpublished()).toBe(0);
  });

  test("a consumer that keeps failing dead-letters the event instead of blocking", async () => {
    const transport = createInProcessTransport(t.sql, logger, fastRetry);
    let calls = 0;
    await transport.subscribe({
      name: "always-fails",
      types: "*",
      handle: async () => {
        calls++;
        throw new Error("boom");
      },
    });
    const id = await emit("review.created", { slug: "y" });
    await relayBatch(t.sql, transport);
    expect(calls).toBe(3);
    const dead = await t.sql<
      { error: string; attempts: number }[]
    >`select error, attempts from dead_letters where event_id = ${id}`;
    expect([...dead]).toEqual([{ error: "boom", attempts: 3 }]);
  });
});

describe("webhooks", () => {
  test("deliveries are signed and recorded; a failing endpoint is retried without re-sending to the others", async () => {
    const received: { headers: Headers; body: string }[] = [];
    const good = Bun.serve({
      port: 0,
      async fetch(req) {
        received.push({ headers: req.headers, body: await req.text() });
        return new Response("ok");
      },
    });
    const bad = Bun.serve({ port: 0, fetch: () => new Response("nope", { status: 500 }) });
    try {
      const secret = "whsec_test_secret";
      await t.sql`insert into webhook_endpoints (url, events, secret) values
        (${`http://127.0.0.1:${good.port}/hook`}, ${["order.paid"]}, ${secret}),
        (${`http://127.0.0.1:${bad.port}/hook`}, ${["order.paid"]}, ${"other"})`;
      const consumer = webhookConsumer(t.sql, logger, { allowPrivate: true }); // local receivers
      const event: DomainEvent = {
        id: crypto.randomUUID(),
        type: "order.paid",
        occurred_at: new Date().toISOString(),
        data: { order_id: "o1" },
      };
      await expect(consumer.handle(event)).rejects.toThrow("HTTP 500");
      await expect(consumer.handle(event)).rejects.toThrow("HTTP 500");
      expect(received.length).toBe(1);
      const { headers, body } = received[0]!;
      expect(JSON.parse(body)).toEqual(event);
      expect(headers.get("x-webhook-id")).toBe(event.id);
      // Verified as a receiver would, per API.md: v1=<hex HMAC-SHA256 of "timestamp.body"> with the
      // endpoint secret, computed here from the raw header and body, not with the signing code.
      const timestamp = headers.get("x-webhook-timestamp")!;
      expect(timestamp).toMatch(/^\d+$/);
      const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
      expect(headers.get("x-webhook-signature")).toBe(`v1=${expected}`);
      const rows = await t.sql<{ status_code: number; attempt: number }[]>`
        select status_code, attempt from webhook_deliveries where event_id = ${event.id} order by id`;
      expect(rows.map((r) => r.status_code)).toEqual([200, 500, 500]);
      expect(rows.map((r) => r.attempt)).toEqual([1, 1, 2]);
    } finally {
      good.stop(true);
      bad.stop(true);
    }
  });
});

const amqpUrl = await testAmqpUrl();
describe.skipIf(!amqpUrl)("RabbitMQ transport", () => {
  test("publishes with confirms, delivers once, retries and dead-letters", async () => {
    const prefix = `test-${crypto.randomUUID().slice(0, 8)}`;
    const transport = await createRabbitTransport({
      url: amqpUrl!,
      sql: t.sql,
      logger,
      prefix,
      policy: fastRetry,
    });
    const seen: string[] = [];
    try {
      await transport.subscribe({
        name: "ok",
        types: ["order.placed"],
        handle: async (e) => void seen.push(e.id),
      });
      let failing = 0;
      await transport.subscribe({
        name: "bad",
        types: ["order.placed"],
        handle: async () => {
          failing++;
          throw new Error("consumer down");
        },
      });
      const id = await emit("order.placed", { via: "rabbit" });
      await emit("inventory.changed", { sku: "A" }); // not bound to these queues
      while ((await relayBatch(t.sql, transport)) > 0) {}
      await until(() => seen.length === 1);
      expect(seen).toEqual([id]);
      await until(
        async () =>
          (await t.sql`select 1 from dead_letters where event_id = ${id} and consumer = 'bad'`).length === 1,
      );
      expect(failing).toBe(3);
    } finally {
      await transport.close();
      const conn = await amqp.connect(amqpUrl!);
      const ch = await conn.createChannel();
      await ch.deleteQueue(`${prefix}.ok`);
      await ch.deleteQueue(`${prefix}.bad`);
      await ch.deleteExchange(`${prefix}.events`);
      await conn.close();
    }
  });
});
