import { afterAll, beforeAll, expect, test } from "bun:test";
import amqp from "amqplib";
import { testAmqpUrl } from "../db/testing.ts";
import { createLogger } from "../platform/logger.ts";
import { startTcpRelay, type TcpRelay } from "../platform/testing/tcp-relay.ts";
import { eventsHealthSettings } from "../server/ops/settings.ts";
import {
  checkoutBody,
  createSkus,
  createUsers,
  fillCart,
  type TestUser,
} from "../server/testing/fixtures.ts";
import { createTestApp, type TestApp } from "../server/testing/harness.ts";
import { emailConsumer } from "./consumers/email.ts";
import { webhookConsumer } from "./consumers/webhooks.ts";
import { startWorkers, type Workers } from "./run.ts";
import { workerSettings } from "./settings.ts";
import {
  countIds,
  emailingEventIds,
  outboxEvents,
  recordingMailer,
  startWebhookReceiver,
  until,
} from "./test-support.ts";

/**
 * Acceptance of issue 10: the broker connection is cut (through a relay this
 * test owns, the broker itself untouched) while orders are placed; once it is
 * back every event reaches each consumer effect exactly once within 10 s, and
 * `/health` reported the outage while it lasted.
 */
const amqpUrl = await testAmqpUrl();
const logger = createLogger("silent");
const prefix = `outage-${crypto.randomUUID().slice(0, 8)}`;
const ORDER_EVENTS = ["order.placed", "order.paid"];

let relay: TcpRelay;
let t: TestApp;
let workers: Workers;
let receiver: ReturnType<typeof startWebhookReceiver>;
const mailer = recordingMailer();
let users: TestUser[];

beforeAll(async () => {
  if (!amqpUrl) return;
  const u = new URL(amqpUrl);
  relay = await startTcpRelay({ host: u.hostname, port: Number(u.port || 5672) });
  const brokerUrl = relay.urlFor(amqpUrl);
  const env = { AMQP_URL: brokerUrl, WORKERS_STALE_MS: "3000" };
  t = await createTestApp({ env });
  receiver = startWebhookReceiver();
  const sql = t.database.sql;
  await sql`insert into webhook_endpoints (url, events, secret) values (${receiver.url}, ${ORDER_EVENTS}, 'whsec_outage')`;
  users = await createUsers(sql, 9);
  await createSkus(sql, [{ sku: "OUT-1", price: 1200, stock: 1000 }]);
  workers = await startWorkers({
    sql,
    logger,
    amqpUrl: brokerUrl,
    consumers: [emailConsumer(sql, mailer), webhookConsumer(sql, logger)],
    settings: workerSettings.load({
      AMQP_PREFIX: prefix,
      WORKERS_HEALTH_PORT: "0",
      WORKERS_HEARTBEAT_MS: "200",
    }),
    limits: eventsHealthSettings.load(env),
    host: "127.0.0.1",
  });
});

afterAll(async () => {
  if (!amqpUrl) return;
  await workers?.stop();
  receiver?.stop();
  await relay?.close();
  await t?.close();
  const conn = await amqp.connect(amqpUrl);
  const ch = await conn.createChannel();
  for (const q of ["email", "webhooks"]) await ch.deleteQueue(`${prefix}.${q}`);
  await ch.deleteExchange(`${prefix}.events`);
  await conn.close();
});

async function placeOrder(user: TestUser): Promise<void> {
  await fillCart(t, user, "OUT-1", 1);
  const res = await t.request("/api/checkout", {
    method: "POST",
    token: user.token,
    key: crypto.randomUUID(),
    json: checkoutBody(),
  });
  expect(res.status).toBe(201);
}

interface Health {
  status: string;
  checks: { queue: { status: string; unpublished?: number } };
}
const health = async () => (await (await t.request("/health")).json()) as Health;

test.skipIf(!amqpUrl)(
  "a lost broker connection: events wait, the workers reconnect and deliver each once; /health shows the outage",
  async () => {
    for (const u of users.slice(0, 3)) await placeOrder(u);
    await until(async () => (await health()).checks.queue.status === "up", 10_000, "queue up");
    await until(() => receiver.total() === 6, 10_000, "first deliveries");

    relay.cut();
    // The workers lose the connection, record it, and /health reports it.
    await until(async () => (await health()).checks.queue.status === "down", 10_000, "queue down");
    for (const u of users.slice(3, 6)) await placeOrder(u);
    let during = await health();
    await until(
      async () => {
        during = await health();
        return (during.checks.queue.unpublished ?? 0) >= 6;
      },
      5000,
      "backlog shown",
    );
    expect(during.status).toBe("degraded");
    expect(during.checks.queue.status).toBe("down");
    expect(during.checks.queue.unpublished).toBeGreaterThanOrEqual(6);
    expect(receiver.total()).toBe(6); // nothing got through the cut
    expect(workers.transport.status().connected).toBe(false);

    relay.restore();
    const restoredAt = Date.now();
    for (const u of users.slice(6, 9)) await placeOrder(u);
    const events = await outboxEvents(t.database.sql, ORDER_EVENTS);
    expect(events.length).toBe(18);
    const emailing = await emailingEventIds(t.database.sql, events);
    expect(emailing.length).toBe(18);
    await until(
      () =>
        receiver.received.size === events.length &&
        countIds(mailer.sent.map((m) => m.id)).size === emailing.length,
      Math.max(0, restoredAt + 10_000 - Date.now()),
      "every event delivered within 10 s of the broker's return",
    );
    // Exactly once per effect: one POST per event at the receiver, one email per event.
    for (const e of events) expect(receiver.received.get(e.id)).toBe(1);
    const mails = countIds(mailer.sent.map((m) => m.id));
    for (const id of emailing) expect(mails.get(id)).toBe(1);
    expect(mailer.sent.length).toBe(emailing.length);
    expect(workers.transport.status().reconnects).toBeGreaterThanOrEqual(1);
    await until(async () => (await health()).checks.queue.status === "up", 10_000, "queue up again");
    expect((await health()).checks.queue.unpublished).toBe(0);
  },
  60_000,
);
