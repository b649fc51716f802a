import { join } from "node:path";
import { resolveDatabase } from "../db/resolve.ts";
import { loadConfigOrExit } from "../platform/config.ts";
import { handleShutdown } from "../platform/lifecycle.ts";
import { createLogger } from "../platform/logger.ts";
import { Supervisor } from "../platform/supervisor.ts";
import { appRuntimeEnv } from "./runtime-env.ts";

/**
 * The cluster shim: starts APP_INSTANCES app processes on consecutive ports
 * from APP_PORT_BASE, restarts any that crash, drains them all on SIGTERM.
 * Without DATABASE_URL it first brings up the embedded Postgres.
 */
const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL, { service: "cluster" });
const database = await resolveDatabase(config, logger);
const supervisor = new Supervisor(logger);
const ports: number[] = [];
for (let i = 0; i < config.APP_INSTANCES; i++) {
  const port = config.APP_PORT_BASE + i;
  ports.push(port);
  supervisor.start({
    name: `app-${port}`,
    cmd: [process.execPath, join(import.meta.dir, "main.ts")],
    env: { ...appRuntimeEnv, PORT: String(port), ...database.env },
  });
}
logger.info("app instances starting", { ports });

handleShutdown(
  async () => {
    await supervisor.stop(config.SHUTDOWN_TIMEOUT_MS + 2000);
    await database.stop();
  },
  logger,
  config.SHUTDOWN_TIMEOUT_MS + 5000,
);
