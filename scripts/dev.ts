import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { resolveDatabase } from "../db/resolve.ts";
import { catalogIsEmpty, seedCatalog } from "../db/seed.ts";
import { loadConfigOrExit } from "../platform/config.ts";
import { handleShutdown } from "../platform/lifecycle.ts";
import { createLogger } from "../platform/logger.ts";
import { loadOrExit } from "../platform/settings.ts";
import { Supervisor } from "../platform/supervisor.ts";
import { proxyRuntimeEnv } from "../proxy/runtime-env.ts";
import { workerSettings } from "../workers/settings.ts";

/**
 * `bun run dev`: the whole stack in one command. Embedded Postgres (primary +
 * replica) unless DATABASE_URL is set, migrations, a demo catalog on an empty
 * database, then the app instances, the workers and the proxy as supervised
 * children (an embedded replica that dies is restarted by db/embedded.ts).
 * Ctrl-C stops them all.
 */
const root = join(import.meta.dir, "..");
// Processes default to production; this run and its children are development.
process.env.NODE_ENV ||= "development";
const config = loadConfigOrExit();
const workers = loadOrExit(() => workerSettings.load());
const logger = createLogger(config.LOG_LEVEL, { service: "dev" });
const database = await resolveDatabase(config, logger);

const sql = postgres(database.primaryUrl, { max: 2, onnotice: () => {} });
try {
  if (config.SEED_PRODUCTS > 0 && (await catalogIsEmpty(sql))) {
    const r = await seedCatalog(sql, { products: config.SEED_PRODUCTS });
    logger.info("seeded demo catalog", { ...r });
  }
} finally {
  await sql.end();
}

const supervisor = new Supervisor(logger);
const env = { ...database.env };
const bun = process.execPath;
supervisor.start({ name: "apps", cmd: [bun, join(root, "server/cluster.ts")], env });
const hasWorkers = existsSync(join(root, "workers/main.ts"));
if (hasWorkers) supervisor.start({ name: "workers", cmd: [bun, join(root, "workers/main.ts")], env });
const hasProxy = existsSync(join(root, "proxy/main.ts"));
if (hasProxy)
  supervisor.start({
    name: "proxy",
    cmd: [bun, join(root, "proxy/main.ts")],
    // One proxy process in development unless asked (PROXY_WORKERS defaults to one per core).
    env: { ...env, ...proxyRuntimeEnv, PROXY_WORKERS: process.env.PROXY_WORKERS ?? "1" },
  });

const appPorts = Array.from({ length: config.APP_INSTANCES }, (_, i) => config.APP_PORT_BASE + i);
const banner = [
  "",
  hasProxy
    ? `  Storefront and API:  http://localhost:${config.PROXY_PORT}/   (health: http://localhost:${config.PROXY_PORT}/health)`
    : `  App instances:       ${appPorts.map((p) => `http://localhost:${p}`).join("  ")}`,
  hasProxy ? `  Proxy admin:         http://localhost:${config.PROXY_ADMIN_PORT}/metrics` : "",
  `  App instances:       ports ${appPorts.join(", ")}`,
  hasWorkers
    ? `  Workers:             http://localhost:${workers.WORKERS_HEALTH_PORT}/health (and /healthz, /metrics)`
    : "",
  `  Database:            ${database.embedded ? "embedded" : "configured"} primary ${new URL(database.primaryUrl).host}, replicas: ${database.replicaUrls.map((u) => new URL(u).host).join(", ") || "none"}`,
  "  Stop with Ctrl-C.",
  "",
]
  .filter((l) => l !== "")
  .join("\n");
setTimeout(() => console.log(`\n${banner}\n`), 1500);

handleShutdown(
  async () => {
    await supervisor.stop(config.SHUTDOWN_TIMEOUT_MS + 5000);
    await database.stop();
  },
  logger,
  config.SHUTDOWN_TIMEOUT_MS + 10_000,
);
