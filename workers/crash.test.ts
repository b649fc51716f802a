import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import amqp from "amqplib";
import { createTestDatabase, type TestDatabase, testAmqpUrl } from "../db/testing.ts";
import { recordEvent } from "../server/core/outbox.ts";
import { countIds, startWebhookReceiver, until } from "./test-support.ts";

/**
 * Acceptance of issue 10: the workers process is SIGKILLed in the middle of a
 * batch and started again. Checked by the effects (the webhook receiver's
 * deliveries, the emails the process wrote, the consumers' records), not by
 * log lines about them: no event is lost and none is applied twice.
 */
const amqpUrl = await testAmqpUrl();
const prefix = `crash-${crypto.randomUUID().slice(0, 8)}`;
const N = 300;
let t: TestDatabase;
let receiver: ReturnType<typeof startWebhookReceiver>;

beforeAll(async () => {
  if (!amqpUrl) return;
  t = await createTestDatabase("crash");
  // A slow endpoint keeps the consumers busy, so the kill lands mid-batch.
  receiver = startWebhookReceiver({ delayMs: 10 });
  await t.sql`insert into webhook_endpoints (url, events, secret) values (${receiver.url}, ${["order.placed"]}, 'whsec_crash')`;
});

afterAll(async () => {
  if (!amqpUrl) return;
  receiver.stop();
  await t.drop();
  const conn = await amqp.connect(amqpUrl);
  const ch = await conn.createChannel();
  for (const q of ["email", "webhooks", "cache-invalidation", "search-indexer"])
    await ch.deleteQueue(`${prefix}.${q}`).catch(() => {});
  await ch.deleteExchange(`${prefix}.events`);
  await conn.close();
});

/** Starts `bun workers/main.ts`; email ids it logs (the log mailer's output) go to `emails`. */
function spawnWorkers(emails: string[]) {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "main.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      DATABASE_REPLICA_URLS: "",
      REDIS_URL: "",
      SMTP_URL: "", // the log mailer: its lines are the emails counted here
      ELASTICSEARCH_URL: "",
      WEBHOOKS_ALLOW_PRIVATE: "true", // the receiver listens on 127.0.0.1
      AMQP_URL: amqpUrl!,
      AMQP_PREFIX: prefix,
      WORKERS_HEALTH_PORT: "0",
      LOG_LEVEL: "info",
      SUPERVISOR_PID: "",
    },
    stdout: "pipe",
    stderr: "ignore",
  });
  const reading = (async () => {
    let rest = "";
    for await (const chunk of proc.stdout) {
      const lines = (rest + new TextDecoder().decode(chunk)).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; id?: string };
          if (entry.msg === "email" && entry.id) emails.push(entry.id);
        } catch {}
      }
    }
  })();
  return { proc, reading };
}

const count = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;

test.skipIf(!amqpUrl)(
  "SIGKILL of the workers mid-batch: after a restart no event is lost and none applied twice",
  async () => {
    const ids: string[] = [];
    await t.db.tx(async (tx) => {
      for (let i = 0; i < N; i++)
        ids.push(
          (
            await recordEvent(tx, "order.placed", {
              order_id: i,
              email: `c${i}@example.com`,
              total: 100,
              currency: "EUR",
            })
          ).id,
        );
    });
    const emails: string[] = [];
    const first = spawnWorkers(emails);
    try {
      await until(() => receiver.total() >= N / 4, 30_000, "first deliveries");
      first.proc.kill("SIGKILL");
      await first.proc.exited;
    } finally {
      first.proc.kill("SIGKILL");
    }
    await first.reading;
    const beforeRestart = receiver.received.size;
    expect(beforeRestart).toBeLessThan(N); // killed in the middle, not after the end

    const second = spawnWorkers(emails);
    try {
      await until(
        async () =>
          receiver.received.size === N &&
          countIds(emails).size === N &&
          (await count(
            t.sql`select count(*)::int as n from processed_events where event_id = any(${ids}) and consumer in ('email', 'webhooks')`,
          )) ===
            2 * N,
        60_000,
        "every event handled after the restart",
      );
    } finally {
      second.proc.kill("SIGTERM");
      await second.proc.exited;
    }
    await second.reading;

    // Nothing lost: every event reached each effect and the outbox is empty.
    expect(await count(t.sql`select count(*)::int as n from outbox where published_at is null`)).toBe(0);
    for (const id of ids) expect(receiver.received.has(id)).toBe(true);
    for (const id of ids) expect(emails).toContain(id);
    // Nothing applied twice: one recorded success per (endpoint, event) and per (consumer, event).
    expect(
      await count(t.sql`
        select count(*)::int as n from (
          select event_id from webhook_deliveries where status_code between 200 and 299
          group by event_id having count(*) > 1) d`),
    ).toBe(0);
    expect(
      await count(
        t.sql`select count(distinct event_id)::int as n from webhook_deliveries where status_code between 200 and 299`,
      ),
    ).toBe(N);
    // HTTP and mail are at-least-once: only requests in flight at the kill (at most one
    // prefetch window per consumer) can arrive twice, with the same X-Webhook-Id / Message-ID
    // so receivers drop them. Everything else arrived exactly once.
    const resentWebhooks = receiver.total() - N;
    const resentEmails = emails.length - N;
    expect(resentWebhooks).toBeLessThanOrEqual(16);
    expect(resentEmails).toBeLessThanOrEqual(16);
    console.log(
      `killed after ${beforeRestart}/${N} webhook deliveries; resent: ${resentWebhooks} webhooks, ${resentEmails} emails`,
    );
  },
  120_000,
);
