import { loadConfigOrExit } from "../platform/config.ts";
import { handleShutdown } from "../platform/lifecycle.ts";
import { createApp } from "./app.ts";
import { closeDeps, createDeps } from "./bootstrap.ts";
import { modules } from "./modules.ts";

/** One app instance. The cluster shim starts N of these with PORT set. */
const config = loadConfigOrExit();
const deps = createDeps(config, `app-${config.PORT ?? config.APP_PORT_BASE}`);
let draining = false;
const app = createApp(deps, { modules, isDraining: () => draining });
const server = Bun.serve({
  port: config.PORT ?? config.APP_PORT_BASE,
  hostname: config.APP_HOST,
  fetch: app.fetch,
  idleTimeout: 75,
});
deps.logger.info("app instance listening", { port: server.port, pid: process.pid });
void import("./checkout/sweeper.ts").then((m) => m.startReservationSweeper(deps)); // releases expired stock holds

handleShutdown(
  async () => {
    draining = true;
    await server.stop(false); // stop accepting; wait for in-flight requests
    await closeDeps(deps);
  },
  deps.logger,
  config.SHUTDOWN_TIMEOUT_MS,
);
