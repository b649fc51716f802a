import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import amqp from "amqplib";
import { testAmqpUrl } from "../db/testing.ts";
import { createLogger } from "../platform/logger.ts";
import { until } from "../platform/testing/until.ts";
import type { ProductDetail } from "../server/catalog/present.ts";
import { closeCatalogCache, seedFixture } from "../server/catalog/test-support.ts";
import { type EventType, recordEvent } from "../server/core/outbox.ts";
import { createTestApp, type TestApp } from "../server/testing/harness.ts";
import { cacheInvalidationConsumer } from "./consumers/cache.ts";
import { emailConsumer } from "./consumers/email.ts";
import { smtpMailer } from "./consumers/smtp.ts";
import { createInProcessTransport } from "./in-process.ts";
import { createRabbitTransport } from "./rabbitmq.ts";
import { type Relay, startRelay } from "./relay.ts";
import { type SmtpPeer, startSmtpPeer } from "./test-smtp-peer.ts";
import type { EventTransport } from "./transport.ts";

// Real services and processes: more than bun's 5 s default (the preload's default reaches only the first file).
setDefaultTimeout(60_000);

/**
 * End to end through the real path: a row in the outbox, the relay, the
 * transport (real RabbitMQ; the in-process stand-in in addition), the
 * consumers as the workers wire them, and the effect they exist for: the
 * catalog cache healed, an email handed to an SMTP server.
 */
const logger = createLogger("silent");
const amqpUrl = await testAmqpUrl();
let t: TestApp;
let smtp: SmtpPeer;

beforeAll(async () => {
  t = await createTestApp({ redis: true });
  await seedFixture(t.database.sql);
  smtp = await startSmtpPeer();
});
afterAll(async () => {
  smtp.close();
  await closeCatalogCache(t);
  await t.close();
});

const emit = (type: EventType, data: Record<string, unknown>) =>
  t.deps.db.tx(async (tx) => (await recordEvent(tx, type, data)).id);
const stockStatus = async (slug: string, sku: string) => {
  const body = (await (await t.request(`/api/catalog/products/${slug}`)).json()) as ProductDetail;
  return body.variants.find((v) => v.sku === sku)!.stock_status;
};

/** Subscribes the cache and email consumers the way workers/main.ts does and starts the relay. */
async function wire(transport: EventTransport): Promise<Relay> {
  await transport.subscribe(cacheInvalidationConsumer(t.deps));
  await transport.subscribe(
    emailConsumer(
      t.database.sql,
      smtpMailer({ host: "127.0.0.1", port: smtp.port, secure: false, from: "shop@example.com" }),
    ),
  );
  return startRelay(t.database.sql, transport, logger, { pollMs: 50 });
}

/** The scenario both transports must pass. */
async function scenario(transport: EventTransport, sku: string, slug: string): Promise<void> {
  const relay = await wire(transport);
  try {
    // Cache the product while out of stock, then change stock behind the cache's back, as a
    // writing request that crashed between its commit and its own cache raise would leave it.
    await t.database.sql`update inventory set quantity = 0 where sku = ${sku}`;
    // The in-process cache (no Redis) bypasses itself until its LISTEN is up: wait for a hit.
    const hits = () =>
      t.deps.metrics.counter("cache_requests_total", "").get({ cache: "product", result: "hit" });
    const before = hits();
    await until(async () => {
      await stockStatus(slug, sku);
      return hits() > before;
    }, "the product cache to serve hits");
    const eventless = await stockStatus(slug, sku);
    await t.database.sql`update inventory set quantity = 40 where sku = ${sku}`;
    expect(await stockStatus(slug, sku)).toBe(eventless); // still served from the cache
    expect(eventless).toBe("out_of_stock");
    await emit("inventory.changed", { sku, delta: 40, quantity: 40 });
    await until(async () => (await stockStatus(slug, sku)) === "in_stock", "the cache to heal");

    const email = `buyer.${crypto.randomUUID().slice(0, 8)}@example.com`;
    await emit("user.registered", { email, name: "Ada" });
    await until(() => smtp.messages.some((m) => m.to === email), "the welcome email");
    const message = smtp.messages.find((m) => m.to === email)!;
    expect(message.data).toContain("Subject: Welcome to the shop");
    expect(message.data).toContain("Hello Ada");

    await until(
      async () => (await t.database.sql`select 1 from outbox where published_at is null`).length === 0,
      "the outbox to drain",
    );
  } finally {
    await relay.stop();
  }
}

describe.skipIf(!amqpUrl)("outbox → relay → RabbitMQ → consumers (real broker)", () => {
  test("a stock event heals the catalog cache and a registration sends the welcome email", async () => {
    const prefix = `test-pipeline-${crypto.randomUUID().slice(0, 8)}`;
    const transport = await createRabbitTransport({ url: amqpUrl!, sql: t.database.sql, logger, prefix });
    try {
      await scenario(transport, "LAMP-1", "desk-lamp");
    } finally {
      await transport.close();
      const conn = await amqp.connect(amqpUrl!);
      const ch = await conn.createChannel();
      for (const name of ["cache-invalidation", "email"]) await ch.deleteQueue(`${prefix}.${name}`);
      await ch.deleteExchange(`${prefix}.events`);
      await conn.close();
    }
  });
});

describe("outbox → relay → in-process stand-in transport → consumers", () => {
  test("the same scenario on the in-process transport", async () => {
    const transport = createInProcessTransport(t.database.sql, logger, {
      maxAttempts: 3,
      backoffMs: () => 20,
    });
    try {
      await scenario(transport, "PIX-256", "pixel-phone");
    } finally {
      await transport.close();
    }
  });
});
