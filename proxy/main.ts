import { handleShutdown } from "../platform/lifecycle.ts";
import { createLogger } from "../platform/logger.ts";
import { ConfigError, loadOrExit } from "../platform/settings.ts";
import { startTracing, stopTracing, tracingSettings } from "../platform/tracing.ts";
import { loadProxyConfig, type ProxyConfig } from "./config.ts";
import { startProxy } from "./server.ts";
import { runWorkers, type WorkerReady } from "./workers.ts";

/**
 * `bun proxy/main.ts`: the reverse proxy in front of the app instances.
 * SIGTERM drains, SIGHUP reloads the configuration (env + PROXY_CONFIG_FILE).
 * With `PROXY_WORKERS` > 1 this process supervises that many workers (this
 * same file with `SUPERVISED_PROXY_WORKER` set) sharing the ports (`proxy/workers.ts`).
 */
let cfg: ProxyConfig;
try {
  cfg = loadProxyConfig();
} catch (err) {
  // ConfigError names every bad variable itself; a bad PROXY_CONFIG_FILE or no upstreams get a prefix.
  console.error(
    err instanceof ConfigError
      ? err.message
      : `Invalid proxy configuration: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(78);
}
const workerId = process.env.SUPERVISED_PROXY_WORKER;
const worker = workerId === undefined ? null : Number(workerId);

if (worker === null && cfg.workers > 1) {
  runWorkers(cfg, createLogger(cfg.logLevel, { service: "proxy" }));
} else {
  const logger = createLogger(
    cfg.logLevel,
    worker === null ? { service: "proxy" } : { service: "proxy", worker },
  );
  // A worker's own admin server is for the supervisor only: loopback, any free port.
  const own = worker === null ? cfg : { ...cfg, adminHost: "127.0.0.1", adminPort: 0 };
  // Before the proxy starts: its core picks the tracer up once (null when OTEL_EXPORTER_OTLP_ENDPOINT is unset).
  await startTracing(
    "proxy",
    loadOrExit(() => tracingSettings.load()),
  );
  const proxy = await startProxy(own, logger, worker !== null);
  if (worker === null)
    console.log(
      `proxy: http://localhost:${proxy.port}${proxy.tlsPort ? `  https://localhost:${proxy.tlsPort}` : ""}  admin: http://localhost:${proxy.adminPort}/metrics`,
    );
  else {
    const ready: WorkerReady = {
      type: "proxy-worker-ready",
      worker,
      pid: process.pid,
      adminPort: proxy.adminPort,
    };
    process.send?.(ready);
  }

  process.on("SIGHUP", () => {
    try {
      proxy.reload(loadProxyConfig());
    } catch (err) {
      // A bad edit must not take the running proxy down: keep the old configuration.
      logger.error("reload failed; keeping the running configuration", { err });
    }
  });
  handleShutdown(
    () => proxy.stop(cfg.shutdownTimeoutMs).then(stopTracing),
    logger,
    cfg.shutdownTimeoutMs + 2000,
  );
}
