import { handleShutdown } from "../platform/lifecycle.ts";
import { createLogger } from "../platform/logger.ts";
import { ConfigError, loadOrExit } from "../platform/settings.ts";
import { startTracing, stopTracing, tracingSettings } from "../platform/tracing.ts";
import { loadProxyConfig, type ProxyConfig } from "./config.ts";
import { startProxy } from "./server.ts";

/**
 * `bun proxy/main.ts`: the reverse proxy in front of the app instances.
 * SIGTERM drains, SIGHUP reloads the configuration (env + PROXY_CONFIG_FILE).
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
const logger = createLogger(cfg.logLevel, { service: "proxy" });
// Before the proxy starts: its core picks the tracer up once (null when OTEL_EXPORTER_OTLP_ENDPOINT is unset).
await startTracing(
  "proxy",
  loadOrExit(() => tracingSettings.load()),
);
const proxy = await startProxy(cfg, logger);
console.log(
  `proxy: http://localhost:${proxy.port}${proxy.tlsPort ? `  https://localhost:${proxy.tlsPort}` : ""}  admin: http://localhost:${proxy.adminPort}/metrics`,
);

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
