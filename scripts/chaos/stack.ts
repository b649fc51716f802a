import { mkdir, readdir, rm } from "node:fs/promises";
import net from "node:net";
import { join } from "node:path";
import amqp from "amqplib";
import postgres from "postgres";
import { type EmbeddedCluster, startEmbeddedPostgres } from "../../db/embedded.ts";
import { migrate } from "../../db/migrate.ts";
import { seedCatalog } from "../../db/seed.ts";
import { withDatabase } from "../../db/testing.ts";
import type { Logger } from "../../platform/logger.ts";
import { startTcpRelay, type TcpRelay } from "../../platform/testing/tcp-relay.ts";
import { proxyRuntimeEnv } from "../../proxy/runtime-env.ts";
import { Processes } from "./procs.ts";

const root = join(import.meta.dir, "../..");

/** A free TCP port on 127.0.0.1 (bound and released; the children bind it next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Everything the chaos runner started, and the handles to hurt it. */
export interface Stack {
  runId: string;
  cluster: EmbeddedCluster;
  /** Admin SQL on the run's database (the primary). */
  sql: postgres.Sql;
  procs: Processes;
  relays: { redis: TcpRelay; amqp: TcpRelay; slowApp: TcpRelay };
  ports: { proxy: number; proxyAdmin: number; apps: number[]; workers: number };
  proxyUrl: string;
  logDir: string;
  teardown(): Promise<void>;
}

export interface StackOptions {
  redisUrl: string;
  amqpUrl: string;
  pgPort: number;
  products: number;
  logger: Logger;
}

async function waitFor(what: string, ms: number, cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond().catch(() => false)) return;
    await Bun.sleep(100);
  }
  throw new Error(`${what} did not come up within ${ms} ms`);
}

const ok = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/**
 * Starts the platform for a chaos run on its own ports: an embedded Postgres
 * primary + replica (data in `.data/chaos-pg`, a fresh database per run), TCP
 * relays in front of the real Redis and RabbitMQ (the faults cut those, never
 * the services), two app instances (the second behind a relay that can make
 * it slow), the workers and the proxy, each restarted if it dies.
 */
export async function startStack(o: StackOptions): Promise<Stack> {
  const runId = `chaos_${Date.now().toString(36)}`;
  const logsRoot = join(root, ".data", "chaos-logs");
  const logDir = join(logsRoot, runId);
  await mkdir(logDir, { recursive: true });
  // Keep the logs of the last five runs.
  const runs = (await readdir(logsRoot)).filter((d) => d.startsWith("chaos_")).sort();
  for (const old of runs.slice(0, -5)) await rm(join(logsRoot, old), { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({
    dataDir: join(root, ".data", "chaos-pg"),
    port: o.pgPort,
    replica: true,
    logger: o.logger,
  });
  const admin = postgres(cluster.primaryUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${runId}"`);
  await admin.end();
  const primaryUrl = withDatabase(cluster.primaryUrl, runId);
  const replicaUrls = cluster.replicaUrls.map((u) => withDatabase(u, runId));
  const sql = postgres(primaryUrl, { max: 4, onnotice: () => {} });
  await migrate(sql);
  await seedCatalog(sql, { products: o.products });

  const hostPort = (url: string, dflt: number) => {
    const u = new URL(url);
    return { host: u.hostname, port: Number(u.port || dflt) };
  };
  const apps = [await freePort(), await freePort()];
  const relays = {
    redis: await startTcpRelay(hostPort(o.redisUrl, 6379)),
    amqp: await startTcpRelay(hostPort(o.amqpUrl, 5672)),
    slowApp: await startTcpRelay({ host: "127.0.0.1", port: apps[1]! }),
  };
  const ports = { proxy: await freePort(), proxyAdmin: await freePort(), apps, workers: await freePort() };
  const env: Record<string, string> = {
    NODE_ENV: "development",
    LOG_LEVEL: "info",
    DATABASE_URL: primaryUrl,
    DATABASE_REPLICA_URLS: replicaUrls.join(","),
    REDIS_URL: relays.redis.urlFor(o.redisUrl),
    AMQP_URL: relays.amqp.urlFor(o.amqpUrl),
    AMQP_PREFIX: runId,
    // Emails are counted from the log mailer's lines; search stays on Postgres.
    SMTP_URL: "",
    // The webhook receiver of the run listens on 127.0.0.1.
    WEBHOOKS_ALLOW_PRIVATE: "true",
    ELASTICSEARCH_URL: "",
    WORKERS_HEALTH_PORT: String(ports.workers),
    WORKERS_HEARTBEAT_MS: "500",
    WORKERS_STALE_MS: "2000",
    EVENTS_MAX_WAIT_MS: "10000",
    APP_PORT_BASE: String(apps[0]),
    APP_INSTANCES: "2",
    PROXY_PORT: String(ports.proxy),
    PROXY_ADMIN_PORT: String(ports.proxyAdmin),
    PROXY_TLS_PORT: String(await freePort()),
    PROXY_UPSTREAMS: `127.0.0.1:${apps[0]},127.0.0.1:${relays.slowApp.port}`,
    PROXY_HEALTH_INTERVAL_MS: "500",
    PROXY_ACCESS_LOG: "off",
    // The load comes from one address: limits that the load does not reach, still enforced through Redis.
    PROXY_RATE_ZONES: "auth:/api/auth/:100000:100000,api:/api/:100000:100000",
  };
  const bun = process.execPath;
  const procs = new Processes(logDir);
  for (const [i, port] of apps.entries())
    procs.start({
      name: `app-${i}`,
      cmd: [bun, join(root, "server/main.ts")],
      env: { ...env, PORT: String(port) },
    });
  procs.start({ name: "workers", cmd: [bun, join(root, "workers/main.ts")], env });
  procs.start({
    name: "proxy",
    cmd: [bun, join(root, "proxy/main.ts")],
    // One proxy process: the experiments reason about a single pool and health view.
    env: { ...env, ...proxyRuntimeEnv, PROXY_WORKERS: "1" },
  });
  const proxyUrl = `http://127.0.0.1:${ports.proxy}`;

  const teardown = async () => {
    await procs.stop();
    for (const r of Object.values(relays)) await r.close();
    await sql.end({ timeout: 1 });
    const conn = await amqp.connect(o.amqpUrl).catch(() => null);
    if (conn) {
      const ch = await conn.createChannel();
      for (const q of ["cache-invalidation", "email", "webhooks", "search-indexer"])
        await ch.deleteQueue(`${runId}.${q}`).catch(() => {});
      await ch.deleteExchange(`${runId}.events`).catch(() => {});
      await conn.close().catch(() => {});
    }
    const a = postgres(cluster.primaryUrl, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists "${runId}" with (force)`).catch(() => {});
    await a.end();
    await cluster.stop();
  };
  try {
    await waitFor(
      "app instances",
      60_000,
      async () =>
        (await ok(`http://127.0.0.1:${apps[0]}/readyz`)) && ok(`http://127.0.0.1:${apps[1]}/readyz`),
    );
    await waitFor("workers", 60_000, () => ok(`http://127.0.0.1:${ports.workers}/health`));
    await waitFor("proxy", 60_000, () => ok(`${proxyUrl}/healthz`));
  } catch (err) {
    await teardown();
    throw err;
  }
  return { runId, cluster, sql, procs, relays, ports, proxyUrl, logDir, teardown };
}
