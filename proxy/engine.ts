import type { SocketHandler, TCPSocketListener } from "bun";
import type { ProxyCore } from "./core.ts";
import { abortRequest, clientHandlers, processBuffered } from "./engine/client.ts";
import { rejectHead } from "./engine/local.ts";
import { relayHandlers } from "./engine/relay.ts";
import { upstreamHandlers } from "./engine/response.ts";
import {
  ADDRESS_KNOWN,
  AWAIT_PROXY_HEADER,
  AWAIT_RELAY,
  type Client,
  EngineState,
  type Exchange,
} from "./engine/state.ts";
import { upstreamFailed } from "./engine/upstream.ts";
import { endClient } from "./engine/writes.ts";
import type { H2Front } from "./h2/connection.ts";
import { createNativeH2Front } from "./h2/native-front.ts";
import type { UpstreamPool } from "./pool.ts";

export { acceptedEncodings } from "./engine/files.ts";
export { isProxied } from "./engine/paths.ts";

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
  /**
   * A client listener; with `proxyProtocol` every connection must open with a
   * PROXY protocol header from a trusted peer (on a TLS listener: in front of
   * the handshake, through the relay in `engine/relay.ts`).
   */
  listen(
    port: number,
    host: string,
    tls?: { cert: string; key: string },
    redirectTo?: number,
    proxyProtocol?: boolean,
  ): TCPSocketListener<unknown>;
  /**
   * Serves new TLS connections with this certificate: each TLS listener is
   * bound again on its port (TLS listeners always bind with `reusePort` for
   * this) and the old one stops accepting; open connections keep theirs.
   */
  replaceCertificate(tls: { cert: string; key: string }): void;
  drain(timeoutMs: number): Promise<void>;
  connections(): number;
  pool: UpstreamPool<Exchange, Client>;
}

/** A TLS listener and what it takes to bind it again with another certificate. */
interface TlsBinding {
  listener: TCPSocketListener<Client>;
  host: string;
  port: number;
  socket: SocketHandler<Client>;
  alpn: string;
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
  const pnow = performance.now();
  // Requests waiting on an upstream: each belongs to its client's `ex`.
  for (const c of st.clients) {
    const ex = c.ex;
    if (!ex || ex.done) continue;
    if (!ex.bodyDone && bodyTooSlow(st, ex, pnow)) {
      abortRequest(st, ex, 408, "The request body did not arrive in time.");
      continue;
    }
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
    if (c.ex || c.tunnel || c.h2) continue;
    if (c.headStart && now - c.headStart > headerMs) {
      // No address yet (PROXY header or relay): not an HTTP client to answer.
      if (c.pending !== ADDRESS_KNOWN) c.sock.terminate();
      else rejectHead(st, c, 408, "The request head did not arrive in time.");
    } else if (now - c.lastActive > clientIdleMs) c.sock.end();
  }
  st.pool.sweep(now);
  collectWhenIdle(st, now);
}

/** Quiet for this long after a burst: collect the garbage it left. */
const IDLE_COLLECT_MS = 2000;

/**
 * Under load the JS heap grows by the collection budget before each
 * collection, and once requests stop
 * nothing runs one: the heap and the response buffers it keeps alive stay
 * resident. One full collection after a quiet spell hands them back (the
 * allocator then returns the pages after `MIMALLOC_PURGE_DELAY`).
 */
function collectWhenIdle(st: EngineState, now: number): void {
  if (st.collectedIdle || now - st.lastExchange < IDLE_COLLECT_MS || st.inFlight > 0) return;
  st.collectedIdle = true;
  Bun.gc(true);
}

/**
 * A request body past its deadline, or behind the minimum rate: after the
 * grace period it must have brought `minRate` bytes per second since its
 * head (a slow-upload attack holds sockets with a byte now and then).
 */
function bodyTooSlow(st: EngineState, ex: Exchange, pnow: number): boolean {
  const { bodyMs, bodyMinRate, bodyMinRateAfterMs } = st.core.cfg.timeouts;
  const elapsed = pnow - ex.t0;
  if (elapsed > bodyMs) return true;
  return (
    bodyMinRate > 0 &&
    elapsed > bodyMinRateAfterMs &&
    ex.bodyBytes * 1000 < bodyMinRate * (elapsed - bodyMinRateAfterMs)
  );
}

// ALPN lists in wire format (length-prefixed names): h2 preferred, then HTTP/1.1 (and 1.0).
const ALPN_H2_H1 = "\x02h2\x08http/1.1\x08http/1.0";
const ALPN_H1 = "\x08http/1.1\x08http/1.0";
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** A TLS listener's handlers, plus: a socket that negotiated `h2` goes to the HTTP/2 front. */
/**
 * The node:http2 front, loaded only when chosen (`PROXY_H2_IMPL=node`): node:http2
 * and its streams cost ~6 MB of resident memory in a process that does not use them.
 */
function nodeH2Front(st: EngineState): H2Front {
  const mod = require("./h2/connection.ts") as typeof import("./h2/connection.ts");
  return mod.createH2Front(st);
}

function withAlpnH2(socket: SocketHandler<Client>, front: H2Front): void {
  socket.handshake = (sock, ok) => {
    if (ok && sock.alpnProtocol === "h2" && sock.data && !sock.data.closed) front.attach(sock.data, sock);
  };
}

/** A plain listener's handlers, plus: a connection that starts with the HTTP/2 preface (h2c, tests). */
function withPriorKnowledge(socket: SocketHandler<Client>, front: H2Front): void {
  const data = socket.data!;
  socket.data = (sock, bytes) => {
    const c = sock.data;
    if (!c.h2 && !c.ex && !c.buf && bytes.length >= 24 && bytes.subarray(0, 24).equals(H2_PREFACE))
      front.attach(c, sock);
    data(sock, bytes);
  };
}

/**
 * Where a public listener binds. `reusePort` (SO_REUSEPORT: the kernel spreads
 * new connections over every process bound to the port) works in Bun.listen
 * but is missing from its listen options' type, hence the separate object.
 */
function bindTo(hostname: string, port: number, reusePort: boolean): { hostname: string; port: number } {
  return { hostname, port, ...(reusePort ? { reusePort } : {}) };
}

/**
 * Builds the engine over the shared core. `reusePort`: the public listeners
 * share their ports with the other worker processes (`PROXY_WORKERS`).
 */
export function createRawEngine(core: ProxyCore, reusePort = false): RawEngine {
  const st = new EngineState(core, upstreamHandlers);
  st.nextRequest = processBuffered;
  core.idleSockets = (u) => st.pool.idleCount(u);
  core.onUpstreamRemoved = (u) => st.pool.closeIdle(u);
  core.onReload = (cfg) => st.pool.reconfigure(cfg);
  const sweeper = setInterval(() => sweep(st), 100);
  sweeper.unref();
  let h2: H2Front | null = null;
  const h2Front = () => {
    h2 ??= core.cfg.h2.impl === "node" ? nodeH2Front(st) : createNativeH2Front(st);
    return h2;
  };

  const tlsBindings: TlsBinding[] = [];
  /** TLS listeners always bind with reusePort, so a new certificate can be bound beside them. */
  const bindTls = (
    host: string,
    port: number,
    tls: { cert: string; key: string },
    alpn: string,
    socket: SocketHandler<Client>,
  ) => {
    const l = Bun.listen<Client>({
      ...bindTo(host, port, true),
      tls: { cert: tls.cert, key: tls.key, ALPNProtocols: alpn },
      socket,
    });
    st.listeners.push(l);
    return l;
  };

  return {
    pool: st.pool,
    listen(port, host, tls, redirectTo, proxyProtocol = false) {
      const redirect = redirectTo !== undefined;
      if (redirect) st.redirectPort = redirectTo;
      const h2 = core.cfg.h2;
      const alpn = h2.enabled ? ALPN_H2_H1 : ALPN_H1;
      if (proxyProtocol && tls) {
        // The TLS listener itself moves to an internal loopback port behind the relay.
        const innerSocket = clientHandlers(st, true, redirect, AWAIT_RELAY);
        if (h2.enabled) withAlpnH2(innerSocket, h2Front());
        // A new certificate is bound on this same loopback port, so the relay's target never moves.
        const inner = bindTls("127.0.0.1", 0, tls, alpn, innerSocket);
        const innerPort = inner.port;
        tlsBindings.push({ listener: inner, host: "127.0.0.1", port: innerPort, socket: innerSocket, alpn });
        const front = Bun.listen({
          ...bindTo(host, port, reusePort),
          socket: relayHandlers(st, () => innerPort),
        });
        st.listeners.push(front);
        return front;
      }
      const socket = clientHandlers(st, !!tls, redirect, proxyProtocol ? AWAIT_PROXY_HEADER : ADDRESS_KNOWN);
      if (tls && h2.enabled) withAlpnH2(socket, h2Front());
      else if (!tls && !redirect && h2.cleartext && !proxyProtocol) withPriorKnowledge(socket, h2Front());
      if (tls) {
        const l = bindTls(host, port, tls, alpn, socket);
        tlsBindings.push({ listener: l, host, port: l.port, socket, alpn });
        return l;
      }
      const l = Bun.listen<Client>({ ...bindTo(host, port, reusePort), socket });
      st.listeners.push(l);
      return l;
    },
    replaceCertificate(tls) {
      for (const b of tlsBindings) {
        // The new socket shares the port (SO_REUSEPORT) before the old one stops accepting.
        const fresh = bindTls(b.host, b.port, tls, b.alpn, b.socket);
        b.listener.stop(false);
        st.listeners.splice(st.listeners.indexOf(b.listener), 1);
        b.listener = fresh;
      }
    },
    connections: () => st.clients.size,
    async drain(timeoutMs) {
      st.draining = true;
      for (const l of st.listeners) l.stop(false);
      for (const c of st.clients)
        if (c.h2) c.h2.shutdown();
        else if (!c.ex && !c.tunnel) endClient(c);
      if (st.clients.size > 0)
        await new Promise<void>((resolve) => {
          st.drainResolve = resolve;
          const t = setTimeout(resolve, timeoutMs);
          t.unref();
        });
      for (const c of st.clients) c.sock.terminate();
      for (const r of st.relays) r.terminate();
      clearInterval(sweeper);
      h2?.close();
      st.pool.closeIdle();
    },
  };
}
