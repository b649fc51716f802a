import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import httpProxy from "http-proxy";
import { problemBody } from "../platform/problem.ts";
import type { ProxyCore } from "./core.ts";
import { isProxied } from "./engine.ts";
import { requestId } from "./headers.ts";

/**
 * The `PROXY_ENGINE=http-proxy` engine: node:http + the `http-proxy` package,
 * as the design first named. Kept for comparison in the benchmark; it shares
 * balancing, health, headers, rate limits and static files with the raw engine
 * but does not compress proxied responses.
 */
/** A running http-proxy engine. */
export interface NodeEngine {
  listen(port: number, host: string, tls?: { cert: string; key: string }): Promise<number>;
  drain(timeoutMs: number): Promise<void>;
}

/** Builds the node:http + http-proxy engine over the shared core. */
export function createHttpProxyEngine(core: ProxyCore): NodeEngine {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: core.cfg.pool.maxPerUpstream,
    maxFreeSockets: core.cfg.pool.maxIdlePerUpstream,
  });
  const proxy = httpProxy.createProxyServer({
    agent,
    xfwd: true,
    proxyTimeout: core.cfg.timeouts.responseMs,
  });
  const servers: Server[] = [];

  const problem = (res: ServerResponse, status: number, code: string, detail: string) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { "content-type": "application/problem+json" });
    res.end(JSON.stringify(problemBody(status, code, detail)));
  };

  proxy.on("proxyRes", (proxyRes, req) => {
    delete proxyRes.headers.server;
    (req as IncomingMessage & { upstreamStatus?: number }).upstreamStatus = proxyRes.statusCode;
  });

  function handler(secure: boolean) {
    return (req: IncomingMessage, res: ServerResponse) => {
      const t0 = performance.now();
      const id = requestId(req.headers["x-request-id"] as string | undefined);
      req.headers["x-request-id"] = id;
      for (const [k, v] of core.headers.pairs) res.setHeader(k, v);
      if (secure && core.headers.hsts) res.setHeader("Strict-Transport-Security", core.headers.hsts);
      res.setHeader("X-Request-Id", id);
      const url = req.url ?? "/";
      const path = url.split("?")[0] ?? "/";
      let upstream = "static";
      res.on("finish", () => {
        core.metrics.request(upstream, res.statusCode, (performance.now() - t0) / 1000);
      });
      if (!isProxied(path)) {
        const r = core.statics.serve(path, (n) => req.headers[n] as string | undefined, null);
        void Promise.resolve(r).then(async (rep) => {
          if (rep.status === 404) return problem(res, 404, "not-found", "No such file.");
          for (const [k, v] of rep.headers) res.setHeader(k, v);
          res.statusCode = rep.status;
          const body =
            rep.body ??
            (rep.file
              ? await Bun.file(rep.file.path)
                  .slice(rep.file.start, rep.file.end + 1)
                  .bytes()
              : new Uint8Array(0));
          res.setHeader("Content-Length", body.length);
          res.end(req.method === "HEAD" ? undefined : body);
        });
        return;
      }
      const length = Number(req.headers["content-length"] ?? 0);
      if (length > core.cfg.limits.maxBodyBytes)
        return problem(res, 413, "payload-too-large", "Request body too large.");
      const up = core.pick(Date.now());
      if (!up) return problem(res, 502, "bad-gateway", "No healthy upstream is available.");
      upstream = up.id;
      up.active++;
      res.on("close", () => {
        up.active--;
        up.onResponse(res.statusCode, performance.now() - t0, Date.now());
      });
      proxy.web(req, res, { target: `http://${up.id}` }, (err: NodeJS.ErrnoException) => {
        if (err.code === "ECONNREFUSED") up.onFailure(Date.now());
        if (err.code === "ECONNRESET" && res.headersSent) return res.destroy();
        problem(
          res,
          err.code === "ETIMEDOUT" || err.message.includes("timeout") ? 504 : 502,
          "bad-gateway",
          "Upstream error.",
        );
      });
    };
  }

  return {
    listen(port, host, tls) {
      const server = tls
        ? createTlsServer({ cert: tls.cert, key: tls.key }, handler(true))
        : createServer(handler(false));
      server.keepAliveTimeout = core.cfg.timeouts.clientIdleMs;
      server.on("upgrade", (req, socket, head) => {
        const up = core.pick(Date.now());
        if (!up) return socket.destroy();
        proxy.ws(req, socket, head, { target: `http://${up.id}` }, () => socket.destroy());
      });
      servers.push(server);
      return new Promise((resolve) => {
        server.listen(port, host, () => {
          const addr = server.address();
          resolve(typeof addr === "object" && addr ? addr.port : port);
        });
      });
    },
    async drain(timeoutMs) {
      const t = setTimeout(() => {
        for (const s of servers) s.closeAllConnections();
      }, timeoutMs);
      t.unref();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeIdleConnections();
            }),
        ),
      );
      clearTimeout(t);
      agent.destroy();
      proxy.close();
    },
  };
}
