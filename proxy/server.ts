import { readFileSync } from "node:fs";
import { createLogger, type Logger } from "../platform/logger.ts";
import { contentType } from "../platform/metrics.ts";
import type { ProxyConfig } from "./config.ts";
import { ProxyCore } from "./core.ts";
import { createRawEngine } from "./engine.ts";

/** A running proxy: its bound ports and its controls. */
export interface ProxyHandle {
  /** plain HTTP port (redirects to HTTPS when TLS is on and `tls.redirectHttp`) */
  port: number;
  /** HTTPS port, when a certificate is configured */
  tlsPort: number | null;
  adminPort: number;
  core: ProxyCore;
  /** applies a new configuration without closing connections (ports stay) */
  reload(cfg: ProxyConfig): void;
  /** stops accepting, lets in-flight requests finish (up to `timeoutMs`), closes everything */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts the proxy in-process: client listener(s), the admin server and the
 * health checker. Port 0 binds an ephemeral port (tests); the handle says which.
 * `reusePort` lets other worker processes bind the same public ports.
 */
export async function startProxy(cfg: ProxyConfig, logger?: Logger, reusePort = false): Promise<ProxyHandle> {
  const log = logger ?? createLogger(cfg.logLevel, { service: "proxy" });
  const core = new ProxyCore(cfg, log);
  let tls = readCertificate(cfg);

  // Workers share stdout: access-log writes stay within one atomic pipe write.
  if (reusePort) core.accessLog.maxWriteBytes = 4096;
  const engine = createRawEngine(core, reusePort);
  let port: number;
  let tlsPort: number | null = null;
  if (tls) {
    tlsPort = engine.listen(cfg.tlsPort, cfg.host, tls, undefined, cfg.proxyProtocol.https).port;
    port = engine.listen(
      cfg.port,
      cfg.host,
      undefined,
      cfg.tls.redirectHttp ? (cfg.tls.publicPort ?? tlsPort) : undefined,
      cfg.proxyProtocol.http,
    ).port;
  } else port = engine.listen(cfg.port, cfg.host, undefined, undefined, cfg.proxyProtocol.http).port;

  const admin = Bun.serve({
    hostname: cfg.adminHost,
    port: cfg.adminPort,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/metrics")
        return new Response(core.metrics.render(), { headers: { "content-type": contentType } });
      if (path === "/upstreams") return Response.json(core.status());
      if (path === "/healthz") return Response.json({ status: "ok" });
      return new Response("not found", { status: 404 });
    },
  });
  core.health.start();
  log.info("proxy listening", {
    port,
    tlsPort,
    adminPort: admin.port,
    upstreams: core.upstreams.map((u) => u.id),
    balancer: cfg.balancer,
    proxyProtocol: cfg.proxyProtocol,
  });

  let stopped: Promise<void> | null = null;
  return {
    port,
    tlsPort,
    adminPort: admin.port ?? cfg.adminPort,
    core,
    reload(next) {
      // Read first: a missing or unreadable file throws before anything changed.
      // A new certificate goes first: if it cannot be bound (a key that does not match), nothing changed.
      const renewed = tls && readCertificate(next);
      if (tls && renewed && (renewed.cert !== tls.cert || renewed.key !== tls.key)) {
        engine.replaceCertificate(renewed);
        tls = renewed;
        log.info("TLS certificate reloaded", { file: next.tls.certFile });
      }
      core.reload(next);
      log.info("configuration reloaded", {
        upstreams: core.upstreams.map((u) => u.id),
        balancer: next.balancer,
      });
    },
    stop(timeoutMs = cfg.shutdownTimeoutMs) {
      stopped ??= (async () => {
        await engine.drain(timeoutMs);
        await admin.stop(true);
        await core.close();
      })();
      return stopped;
    },
  };
}

/** The certificate and key the configuration names, or undefined when TLS is off. */
function readCertificate(cfg: ProxyConfig): { cert: string; key: string } | undefined {
  return cfg.tls.certFile && cfg.tls.keyFile
    ? { cert: readFileSync(cfg.tls.certFile, "utf8"), key: readFileSync(cfg.tls.keyFile, "utf8") }
    : undefined;
}
