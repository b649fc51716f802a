import type { TCPSocketListener } from "bun";
import type { ProxyCore } from "./core.ts";
import { clientHandlers, processBuffered } from "./engine/client.ts";
import { rejectHead } from "./engine/local.ts";
import { upstreamHandlers } from "./engine/response.ts";
import { type Client, EngineState, type Exchange } from "./engine/state.ts";
import { upstreamFailed } from "./engine/upstream.ts";
import { endClient } from "./engine/writes.ts";
import type { UpstreamPool } from "./pool.ts";

export { isProxied } from "./engine/client.ts";
export { acceptedEncodings } from "./engine/files.ts";

/**
 * The engine: clients via Bun.listen, upstreams via pooled Bun.connect sockets.
 * Only message heads are parsed and rewritten; body bytes are passed on as
 * received. The work is split by role under `engine/`, all sharing one
 * `EngineState`: `writes.ts` (writes and queues), `client.ts` (client
 * connection), `upstream.ts` (upstream exchange), `response.ts` (response head
 * and body), `local.ts` and `files.ts` (local replies and static files),
 * `tunnel.ts` (WebSocket/Upgrade), `exchange.ts` (the end of an exchange).
 * This file wires them together: listeners, the timer sweep and the drain.
 */

/** A running engine. */
export interface RawEngine {
  listen(
    port: number,
    host: string,
    tls?: { cert: string; key: string },
    redirectTo?: number,
  ): TCPSocketListener<unknown>;
  drain(timeoutMs: number): Promise<void>;
  connections(): number;
  pool: UpstreamPool<Exchange, Client>;
}

/**
 * Every 100 ms: refreshes the clock, fails upstream connects and responses that
 * took too long, answers 408 to heads that did not arrive in time, closes idle
 * clients and sweeps the pool.
 */
function sweep(st: EngineState): void {
  const now = Date.now();
  st.clock = now;
  const { responseMs, connectMs, clientIdleMs, headerMs } = st.core.cfg.timeouts;
  // Requests waiting on an upstream: each belongs to its client's `ex`.
  for (const c of st.clients) {
    const ex = c.ex;
    if (!ex || ex.done) continue;
    const conn = ex.conn;
    if (conn && !conn.sock && now - conn.openedAt > connectMs) {
      conn.abandoned = true;
      st.pool.markClosed(conn);
      conn.ex = null;
      ex.conn = null;
      upstreamFailed(st, ex, "connect");
    } else if (conn?.sock && !conn.out && now - ex.lastUp > responseMs) {
      upstreamFailed(st, ex, "timeout");
    }
  }
  for (const c of st.clients) {
    if (c.ex || c.tunnel) continue;
    if (c.headStart && now - c.headStart > headerMs) {
      rejectHead(st, c, 408, "The request head did not arrive in time.");
    } else if (now - c.lastActive > clientIdleMs) c.sock.end();
  }
  st.pool.sweep(now);
}

/** Builds the engine over the shared core. */
export function createRawEngine(core: ProxyCore): RawEngine {
  const st = new EngineState(core, upstreamHandlers);
  st.nextRequest = processBuffered;
  core.idleSockets = (u) => st.pool.idleCount(u);
  core.onUpstreamRemoved = (u) => st.pool.closeIdle(u);
  core.onReload = (cfg) => st.pool.reconfigure(cfg);
  const sweeper = setInterval(() => sweep(st), 100);
  sweeper.unref();

  return {
    pool: st.pool,
    listen(port, host, tls, redirectTo) {
      const redirect = redirectTo !== undefined;
      if (redirect) st.redirectPort = redirectTo;
      const socket = clientHandlers(st, !!tls, redirect);
      const l = tls
        ? Bun.listen<Client>({ hostname: host, port, tls: { cert: tls.cert, key: tls.key }, socket })
        : Bun.listen<Client>({ hostname: host, port, socket });
      st.listeners.push(l);
      return l;
    },
    connections: () => st.clients.size,
    async drain(timeoutMs) {
      st.draining = true;
      for (const l of st.listeners) l.stop(false);
      for (const c of st.clients) if (!c.ex && !c.tunnel) endClient(c);
      if (st.clients.size > 0)
        await new Promise<void>((resolve) => {
          st.drainResolve = resolve;
          const t = setTimeout(resolve, timeoutMs);
          t.unref();
        });
      for (const c of st.clients) c.sock.terminate();
      clearInterval(sweeper);
      st.pool.closeIdle();
    },
  };
}
