import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Hono } from "hono";
import postgres from "postgres";
import { createDatabase, type Database } from "../../db/client.ts";
import { startTestPostgres, type TestPostgres } from "../../db/testing.ts";
import { loadConfig } from "../../platform/config.ts";
import { createLogger } from "../../platform/logger.ts";
import { Registry } from "../../platform/metrics.ts";
import { until } from "../../platform/testing/until.ts";
import { createApp } from "../app.ts";
import type { AppEnv } from "../core/deps.ts";
import { databaseProbe } from "./probes.ts";

// Real services and processes: more than bun's 5 s default (the preload's default reaches only the first file).
setDefaultTimeout(60_000);

/**
 * `/health` replica entries against a real primary and streaming replica:
 * `{ name, status: up | lagging | down, lag_ms }`, and the report degraded
 * (still 200: the primary serves) when a replica is not up.
 */
interface Health {
  status: string;
  checks: { replicas: { name: string; status: string; lag_ms: number | null; error?: string }[] };
}

let cluster: TestPostgres;
let db: Database;
let app: Hono<AppEnv>;
let replicaAdmin: postgres.Sql;
const MAX_LAG_MS = 200;

beforeAll(async () => {
  cluster = await startTestPostgres({ label: "health", replica: true });
  db = createDatabase({
    primaryUrl: cluster.primaryUrl,
    replicaUrls: cluster.replicaUrls,
    checkIntervalMs: 60_000, // the test drives the checks itself
    maxLagMs: MAX_LAG_MS,
    logger: createLogger("silent"),
  });
  replicaAdmin = postgres(cluster.replicaUrls[0]!, { max: 1, onnotice: () => {} });
  await db.primary`create table ticks (id serial primary key)`;
  app = createApp({
    config: loadConfig({ NODE_ENV: "test", DATABASE_URL: cluster.primaryUrl }),
    db,
    logger: createLogger("silent"),
    metrics: new Registry(),
    redis: null,
    probes: [databaseProbe(db)],
  });
}, 120_000); // initdb and a replica base backup: far beyond the 5 s default on a busy machine
afterAll(async () => {
  await replicaAdmin.end({ timeout: 1 }).catch(() => {});
  await db.close(1);
  await cluster.stop();
});

async function health(): Promise<{ httpStatus: number; body: Health }> {
  const res = await app.request("/health");
  return { httpStatus: res.status, body: (await res.json()) as Health };
}

/** /health once it reports `status` and the first replica `replica`: probe results are shared for about a second, so a change shows up after it. */
async function healthOnce(status: string, replica: string): Promise<Awaited<ReturnType<typeof health>>> {
  let last = await health();
  await until(
    async () => {
      last = await health();
      return last.body.status === status && last.body.checks.replicas[0]?.status === replica;
    },
    `/health to report ${status} with the replica ${replica}`,
    10_000,
  );
  return last;
}

test("a replica in step is listed up with its lag; the report is ok", async () => {
  await until(async () => {
    await db.checkReplicas();
    return db.replicas[0]!.status === "up" && db.replicas[0]!.lagMs === 0;
  }, "the replica to catch up");
  const { httpStatus, body } = await healthOnce("ok", "up");
  expect(httpStatus).toBe(200);
  expect(body.status).toBe("ok");
  expect(body.checks.replicas).toHaveLength(1);
  expect(body.checks.replicas[0]).toMatchObject({ name: "replica-1", status: "up", lag_ms: 0 });
});

test("a replica whose replay is paused is listed lagging with its lag; the report is degraded, still 200", async () => {
  await replicaAdmin`select pg_wal_replay_pause()`;
  try {
    await until(async () => {
      await db.primary`insert into ticks default values`;
      await db.checkReplicas();
      return db.replicas[0]!.status === "lagging";
    }, "the replica to lag");
    const { httpStatus, body } = await healthOnce("degraded", "lagging");
    expect(httpStatus).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.checks.replicas[0]!.status).toBe("lagging");
    expect(body.checks.replicas[0]!.lag_ms).toBeGreaterThan(MAX_LAG_MS);
  } finally {
    await replicaAdmin`select pg_wal_replay_resume()`;
  }
});

test("a stopped replica is listed down with the error; the report is degraded, still 200", async () => {
  await replicaAdmin.end({ timeout: 1 });
  await cluster.stopReplica();
  await db.checkReplicas();
  const { httpStatus, body } = await healthOnce("degraded", "down");
  expect(httpStatus).toBe(200);
  expect(body.status).toBe("degraded");
  expect(body.checks.replicas[0]!.name).toBe("replica-1");
  expect(body.checks.replicas[0]!.status).toBe("down");
  expect(body.checks.replicas[0]!.error).toBeString();
});
