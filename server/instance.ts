import { loadConfigOrExit } from "../platform/config.ts";
import { handleShutdown } from "../platform/lifecycle.ts";
import { loadOrExit } from "../platform/settings.ts";
import { startTracing, stopTracing, tracingSettings } from "../platform/tracing.ts";
import { createApp } from "./app.ts";
import { closeDeps, createDeps } from "./bootstrap.ts";
import type { CheckoutFaults } from "./checkout/settings.ts";
import { startReservationSweeper } from "./checkout/sweeper.ts";
import { appModules, loadDomainSettings } from "./modules.ts";
import { defaultProviders } from "./payments/providers.ts";

/**
 * Runs one app instance from the process environment: config and domain
 * settings (exit 78 on a bad value), deps, the app, the reservation sweeper
 * and graceful shutdown. `checkoutFaults` is for test entry points only.
 */
export async function runInstance(opts: { checkoutFaults?: CheckoutFaults } = {}): Promise<void> {
  const config = loadConfigOrExit();
  const settings = loadOrExit(() => loadDomainSettings(config, process.env));
  const providers = loadOrExit(() => defaultProviders()); // exit 78 on a bad PAYMENTS_TEST_CARD
  const instance = `app-${config.PORT ?? config.APP_PORT_BASE}`;
  // Before the deps and the app: both decide once whether to install their spans.
  await startTracing(
    "app",
    loadOrExit(() => tracingSettings.load()),
    { instanceId: instance },
  );
  const deps = createDeps(config, instance);
  let draining = false;
  const modules = appModules({ ...settings, providers, checkoutFaults: opts.checkoutFaults });
  const app = createApp(deps, { modules, isDraining: () => draining });
  const server = Bun.serve({
    port: config.PORT ?? config.APP_PORT_BASE,
    hostname: config.APP_HOST,
    fetch: app.fetch,
    idleTimeout: 75,
  });
  deps.logger.info("app instance listening", { port: server.port, pid: process.pid });
  // Releases expired stock holds (also those of a crashed predecessor, right away).
  const stopSweeper = startReservationSweeper(deps, settings.checkout.sweepIntervalMs, providers);

  handleShutdown(
    async () => {
      draining = true;
      stopSweeper();
      await server.stop(false); // stop accepting; wait for in-flight requests
      await closeDeps(deps);
      await stopTracing();
    },
    deps.logger,
    config.SHUTDOWN_TIMEOUT_MS,
  );
}
