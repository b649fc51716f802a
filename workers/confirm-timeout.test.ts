import { afterAll, beforeAll, expect, test } from "bun:test";
import amqp from "amqplib";
import { createTestDatabase, type TestDatabase, testAmqpUrl } from "../db/testing.ts";
import { createLogger } from "../platform/logger.ts";
import { startTcpRelay, type TcpRelay } from "../platform/testing/tcp-relay.ts";
import { recordEvent } from "../server/core/outbox.ts";
import { createRabbitTransport } from "./rabbitmq.ts";
import { relayBatch } from "./relay.ts";
import { until } from "./test-support.ts";

/** A broker that stops answering (no close, no error) must not wedge the relay. */
const amqpUrl = await testAmqpUrl();
const prefix = `confirm-${crypto.randomUUID().slice(0, 8)}`;
let t: TestDatabase;
let relay: TcpRelay;

beforeAll(async () => {
  if (!amqpUrl) return;
  t = await createTestDatabase("confirm");
  const u = new URL(amqpUrl);
  relay = await startTcpRelay({ host: u.hostname, port: Number(u.port || 5672) });
});
afterAll(async () => {
  if (!amqpUrl) return;
  await relay.close();
  await t.drop();
  const conn = await amqp.connect(amqpUrl);
  const ch = await conn.createChannel();
  await ch.deleteQueue(`${prefix}.seen`);
  await ch.deleteExchange(`${prefix}.events`);
  await conn.close();
});

test.skipIf(!amqpUrl)(
  "an unconfirmed batch fails after the confirm timeout, stays in the outbox and goes out on a fresh connection",
  async () => {
    const seen: string[] = [];
    const transport = await createRabbitTransport({
      url: relay.urlFor(amqpUrl!),
      sql: t.sql,
      logger: createLogger("silent"),
      prefix,
      confirmTimeoutMs: 300,
      reconnectMaxMs: 200,
    });
    try {
      await transport.subscribe({ name: "seen", types: "*", handle: async (e) => void seen.push(e.id) });
      const id = await t.db.tx(async (tx) => (await recordEvent(tx, "order.placed", { order_id: 1 })).id);
      relay.delay(5000); // the broker's answers (confirms included) stop coming back
      await expect(relayBatch(t.sql, transport)).rejects.toThrow("no publisher confirm");
      const [row] = await t.sql<
        { published: boolean }[]
      >`select published_at is not null as published from outbox where id = ${id}`;
      expect(row!.published).toBe(false);
      // The timeout closed that connection; the recovered one publishes the same event.
      relay.delay(0);
      await until(
        async () =>
          transport.status().connected &&
          (await relayBatch(t.sql, transport).catch(() => 0)) >= 0 &&
          (await t.sql`select 1 from outbox where id = ${id} and published_at is not null`).length === 1,
        20_000,
        "published",
      );
      await until(() => seen.includes(id), 10_000, "consumed");
      expect(transport.status().reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      await transport.close();
    }
  },
  60_000,
);
