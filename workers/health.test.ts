import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../db/testing.ts";
import { createLogger } from "../platform/logger.ts";
import { recordEvent } from "../server/core/outbox.ts";
import { eventsHealthSettings } from "../server/ops/settings.ts";
import { freshWorkerStates } from "../server/ops/worker-state.ts";
import { startWorkers } from "./run.ts";
import { workerSettings } from "./settings.ts";
import { until } from "./test-support.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("workershealth");
});
afterAll(async () => {
  await t.drop();
});

const logger = createLogger("silent");
const limits = eventsHealthSettings.load({});

test("the workers serve liveness, state and event metrics, and record a heartbeat", async () => {
  const handled: string[] = [];
  const workers = await startWorkers({
    sql: t.sql,
    logger,
    consumers: [{ name: "recorder", types: "*", handle: async (e) => void handled.push(e.id) }],
    settings: workerSettings.load({ WORKERS_HEALTH_PORT: "0", WORKERS_HEARTBEAT_MS: "100" }),
    limits,
    host: "127.0.0.1",
    relayPollMs: 50,
  });
  try {
    const base = `http://127.0.0.1:${workers.monitor.port}`;
    const id = await t.db.tx(async (tx) => (await recordEvent(tx, "order.placed", { order_id: 1 })).id);
    await until(() => handled.includes(id));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await until(
      async () =>
        ((await (await fetch(`${base}/health`)).json()) as { unpublished: number }).unpublished === 0,
    );
    const health = (await (await fetch(`${base}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: "ok",
      live: true,
      transport: "in-process",
      broker: { connected: true },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('events_published_total{type="order.placed"} 1');
    expect(metrics).toContain('events_consumed_total{consumer="recorder",outcome="done"} 1');
    expect(metrics).toContain("events_processing_seconds_count");
    expect(metrics).toContain("events_unpublished 0");
    const [row] = await freshWorkerStates(t.sql, 10_000);
    expect(row).toMatchObject({ transport: "in-process", broker_connected: true });
  } finally {
    await workers.stop();
  }
  // A graceful stop removes the heartbeat.
  expect(await freshWorkerStates(t.sql, 10_000)).toEqual([]);
});

test("a relay stuck in a batch turns liveness to 503 and reports itself wedged once", async () => {
  let release: () => void = () => {};
  const stuck = new Promise<void>((r) => {
    release = r;
  });
  let wedged = 0;
  const workers = await startWorkers({
    sql: t.sql,
    logger,
    consumers: [{ name: "hangs", types: ["review.created"], handle: () => stuck }],
    settings: workerSettings.load({
      WORKERS_HEALTH_PORT: "0",
      WORKERS_HEARTBEAT_MS: "100",
      WORKERS_STALL_MS: "1000",
    }),
    limits,
    host: "127.0.0.1",
    relayPollMs: 50,
    onWedged: () => wedged++,
  });
  try {
    const base = `http://127.0.0.1:${workers.monitor.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await t.db.tx((tx) => recordEvent(tx, "review.created", { slug: "x" }));
    await until(async () => (await fetch(`${base}/healthz`)).status === 503, 10_000, "liveness 503");
    expect(wedged).toBe(1);
    expect((await fetch(`${base}/health`)).status).toBe(503);
  } finally {
    release();
    await workers.stop();
  }
});
