import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { queueProbe } from "./probes.ts";
import { eventsHealthSettings } from "./settings.ts";
import { recordWorkerState } from "./worker-state.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("queuehealth");
});
afterAll(async () => {
  await t.drop();
});

const limits = eventsHealthSettings.load({ EVENTS_MAX_WAIT_MS: "5000", WORKERS_STALE_MS: "60000" });
const beat = (id: string, connected: boolean) =>
  recordWorkerState(t.sql, {
    worker_id: id,
    transport: "rabbitmq",
    broker_connected: connected,
    state: { broker_error: connected ? null : "Connection closed" },
    started_at: new Date(),
  });

test("the queue entry follows the workers' heartbeat and the outbox backlog", async () => {
  const amqp = "amqp://guest:guest@127.0.0.1:5672";
  // No workers heartbeat: with RabbitMQ configured nothing is relaying events.
  expect((await queueProbe(t.sql, amqp, limits).check()).status).toBe("down");
  // In process without workers running: no queue to speak of.
  expect((await queueProbe(t.sql, undefined, limits).check()).status).toBe("disabled");

  await beat("w1", false);
  const lost = await queueProbe(t.sql, amqp, limits).check();
  expect(lost.status).toBe("down");
  expect(String(lost.error)).toContain("Connection closed");

  await beat("w1", true);
  const up = await queueProbe(t.sql, amqp, limits).check();
  expect(up).toMatchObject({ status: "up", transport: "rabbitmq", unpublished: 0 });

  // An event waiting longer than EVENTS_MAX_WAIT_MS makes it lagging, with the age shown.
  await t.sql`insert into outbox (type, data, occurred_at) values ('order.placed', '{}', now() - interval '1 minute')`;
  const lagging = await queueProbe(t.sql, amqp, limits).check();
  expect(lagging).toMatchObject({ status: "lagging", unpublished: 1 });
  expect(Number(lagging.oldest_unpublished_age_ms)).toBeGreaterThanOrEqual(60_000);
  expect((await queueProbe(t.sql, undefined, limits).check()).status).toBe("lagging");

  // A heartbeat older than WORKERS_STALE_MS does not count.
  await t.sql`update outbox set published_at = now()`;
  await t.sql`update worker_heartbeats set updated_at = now() - interval '2 minutes'`;
  expect((await queueProbe(t.sql, amqp, limits).check()).status).toBe("down");
  // In process too: a workers process that stopped reporting (killed) is not "disabled".
  expect((await queueProbe(t.sql, undefined, limits).check()).status).toBe("down");
});
