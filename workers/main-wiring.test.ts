import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import amqp from "amqplib";
import { testAmqpUrl } from "../db/testing.ts";
import { until } from "../platform/testing/until.ts";
import type { ProductDetail } from "../server/catalog/present.ts";
import { closeCatalogCache, seedFixture } from "../server/catalog/test-support.ts";
import { type EventType, recordEvent } from "../server/core/outbox.ts";
import { minimalEnv } from "../server/testing/app-process.ts";
import { createTestApp, type TestApp } from "../server/testing/harness.ts";
import { type SmtpPeer, startSmtpPeer } from "./test-smtp-peer.ts";

// Real services and processes: more than bun's 5 s default (the preload's default reaches only the first file).
setDefaultTimeout(120_000);

/**
 * The workers process as deployed (`workers/main.ts`, spawned) on real
 * Postgres, Redis and RabbitMQ: an event written to the outbox reaches each
 * consumer main.ts wires, and each has its effect — the catalog cache of an
 * app instance heals, a welcome email reaches the SMTP server, a signed
 * webhook reaches its endpoint. The queues get a prefix of their own
 * (AMQP_PREFIX), so parallel runs never take each other's messages.
 */
const amqpUrl = await testAmqpUrl();

let t: TestApp;
let smtp: SmtpPeer;
const hooks: { headers: Headers; body: string }[] = [];
const endpoint = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    hooks.push({ headers: req.headers, body: await req.text() });
    return new Response("ok");
  },
});

beforeAll(async () => {
  t = await createTestApp({ redis: true });
  await seedFixture(t.database.sql);
  smtp = await startSmtpPeer();
});
afterAll(async () => {
  endpoint.stop(true);
  smtp.close();
  await closeCatalogCache(t);
  await t.close();
});

const emit = (type: EventType, data: Record<string, unknown>) =>
  t.deps.db.tx(async (tx) => (await recordEvent(tx, type, data)).id);
const stockStatus = async () => {
  const body = (await (await t.request("/api/catalog/products/desk-lamp")).json()) as ProductDetail;
  return body.variants[0]!.stock_status;
};

describe.skipIf(!amqpUrl)("workers/main.ts on RabbitMQ", () => {
  test("outbox → relay → RabbitMQ → the consumers main.ts wires → cache healed, email sent, webhook signed", async () => {
    const prefix = `test-main-${crypto.randomUUID().slice(0, 8)}`;
    const secret = "whsec_wiring";
    await t.database.sql`insert into webhook_endpoints (url, events, secret)
      values (${`http://127.0.0.1:${endpoint.port}/hook`}, ${["order.paid"]}, ${secret})`;
    // A cached page made stale behind the cache's back, as a crash before the writer's own raise leaves it.
    // (Without Redis the in-process cache bypasses itself until its LISTEN is up: wait for a hit.)
    const hits = () =>
      t.deps.metrics.counter("cache_requests_total", "").get({ cache: "product", result: "hit" });
    const before = hits();
    await until(async () => {
      await stockStatus();
      return hits() > before;
    }, "the product cache to serve hits");
    expect(await stockStatus()).toBe("out_of_stock");
    await t.database.sql`update inventory set quantity = 40 where sku = 'LAMP-1'`;
    expect(await stockStatus()).toBe("out_of_stock");

    const workers = Bun.spawn([process.execPath, join(import.meta.dir, "main.ts")], {
      env: minimalEnv({
        DATABASE_URL: t.database.url,
        REDIS_URL: t.deps.config.REDIS_URL ?? "",
        AMQP_URL: amqpUrl!,
        AMQP_PREFIX: prefix,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}?from=shop@example.com`,
        WORKERS_HEALTH_PORT: "0",
        WEBHOOKS_ALLOW_PRIVATE: "true", // the receiver listens on 127.0.0.1
        DATABASE_POOL_MAX: "4",
      }),
      stdout: "ignore",
      stderr: "pipe",
    });
    try {
      await emit("inventory.changed", { sku: "LAMP-1", delta: 40, quantity: 40 });
      const email = `wired.${crypto.randomUUID().slice(0, 8)}@example.com`;
      await emit("user.registered", { email, name: "Grace" });
      const paid = await emit("order.paid", { order_id: "o-wired" });

      await until(async () => (await stockStatus()) === "in_stock", "the cache to heal");
      await until(() => smtp.messages.some((m) => m.to === email), "the welcome email");
      expect(smtp.messages.find((m) => m.to === email)!.data).toContain("Subject: Welcome to the shop");
      await until(() => hooks.some((h) => h.headers.get("x-webhook-id") === paid), "the webhook");
      const hook = hooks.find((h) => h.headers.get("x-webhook-id") === paid)!;
      const timestamp = hook.headers.get("x-webhook-timestamp")!;
      const signature = createHmac("sha256", secret).update(`${timestamp}.${hook.body}`).digest("hex");
      expect(hook.headers.get("x-webhook-signature")).toBe(`v1=${signature}`);
      await until(
        async () => (await t.database.sql`select 1 from outbox where published_at is null`).length === 0,
        "the outbox to drain",
      );

      // The queues are the test's own: the exchange and a queue per consumer carry its prefix.
      const conn = await amqp.connect(amqpUrl!);
      try {
        const ch = await conn.createChannel();
        await ch.checkExchange(`${prefix}.events`);
        for (const name of ["cache-invalidation", "email", "webhooks", "search-indexer", "recommend"]) {
          await ch.checkQueue(`${prefix}.${name}`);
        }
      } finally {
        await conn.close();
      }

      workers.kill("SIGTERM");
      expect(await workers.exited).toBe(0);
    } finally {
      if (workers.exitCode === null) workers.kill("SIGKILL");
      await workers.exited;
      const conn = await amqp.connect(amqpUrl!);
      const ch = await conn.createChannel();
      for (const name of ["cache-invalidation", "email", "webhooks", "search-indexer", "recommend"]) {
        await ch.deleteQueue(`${prefix}.${name}`).catch(() => {});
      }
      await ch.deleteExchange(`${prefix}.events`).catch(() => {});
      await conn.close().catch(() => {});
    }
  });
});
