import {
  constants,
  createServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from "node:http2";
import type { Socket } from "bun";
import { abortRequest, clientClosed, clientData, clientDrained } from "../engine/client.ts";
import { rejectHead } from "../engine/local.ts";
import type { Client, EngineState, H2Link } from "../engine/state.ts";
import { FrameGuard, type GuardLimits, type GuardVerdict, type SweepVerdict } from "./guard.ts";
import { finishHead, toHttp1Head } from "./request.ts";
import { SocketDuplex, StreamSocket } from "./socket.ts";
import { streamClient } from "./stream-client.ts";

/**
 * HTTP/2 to clients. The engine's TLS listener negotiates ALPN; a socket that
 * chose `h2` is handed here (`attach`), the rest stay on the engine's HTTP/1
 * path. Frames are parsed by node:http2 (Bun's native frame parser) behind the
 * frame guard (`guard.ts`); every stream becomes a client record of the engine
 * carrying one HTTP/1.0-shaped request (`request.ts`, `socket.ts`), so
 * balancing, retries, limits, headers, compression, rate limits, static files,
 * the access log and the drain are the engine's own, unchanged.
 */

/** The HTTP/2 side of an engine. */
export interface H2Front {
  /** takes over a client socket that negotiated `h2` (or sent the h2c preface) */
  attach(c: Client, sock: Socket<Client>): void;
  /** stops the idle/stall sweep */
  close(): void;
}

/** One HTTP/2 connection. */
class H2Connection implements H2Link {
  session: ServerHttp2Session | null = null;
  readonly guard: FrameGuard;
  readonly streams = new Set<StreamSocket>();
  /**
   * When a stream last opened or ended. Only streams count as activity: a
   * client that keeps an empty connection open with PINGs is idle.
   */
  lastActive: number;
  private cut = false;
  readonly flush = () => this.duplex.flushSession();

  constructor(
    readonly st: EngineState,
    readonly c: Client,
    readonly duplex: SocketDuplex,
    limits: GuardLimits,
  ) {
    this.guard = new FrameGuard(limits);
    this.lastActive = st.clock;
  }

  data(buf: Buffer): void {
    const verdict = this.guard.feed(buf, this.st.clock);
    if (verdict) this.kill(verdict);
    else if (!this.duplex.received(buf)) this.c.sock.pause();
  }

  drain(): void {
    this.duplex.drained();
  }

  closed(): void {
    this.st.core.metrics.h2Connections--;
    this.duplex.push(null);
    this.duplex.destroy();
    this.session?.destroy();
  }

  shutdown(): void {
    const s = this.session;
    if (!s || s.closed || s.destroyed) this.closeSoon();
    else s.close(() => this.closeSoon());
  }

  /** Cuts a misbehaving connection: GOAWAY (ENHANCE_YOUR_CALM) if it can still be written, then close. */
  kill(reason: Exclude<GuardVerdict, null> | SweepVerdict): void {
    if (this.cut) return;
    this.cut = true;
    if (reason !== "idle") {
      this.st.core.metrics.h2Cut.inc({ reason });
      this.st.core.logger.warn("http/2 connection cut", { reason, ip: this.c.ip });
    }
    try {
      this.session?.goaway(
        reason === "idle" ? constants.NGHTTP2_NO_ERROR : constants.NGHTTP2_ENHANCE_YOUR_CALM,
      );
    } catch {
      // the session is already gone
    }
    for (const s of this.streams) s.terminate();
    this.closeSoon();
  }

  /**
   * Closes the socket once the last frames (GOAWAY) had a moment to leave.
   * Outright: a TLS `end()` here was seen to wait on a peer that never
   * answered, keeping the connection (and the drain) open.
   */
  closeSoon(): void {
    const sock = this.c.sock;
    setTimeout(() => sock.terminate(), 50).unref();
  }
}

/** Builds the HTTP/2 front of an engine. */
export function createH2Front(st: EngineState): H2Front {
  const cfg = () => st.core.cfg.h2;
  const server: Http2Server = createServer({
    settings: {
      maxConcurrentStreams: cfg().maxStreams,
      maxHeaderListSize: cfg().maxHeaderListBytes,
      initialWindowSize: cfg().windowBytes,
      enablePush: false,
    },
    maxSessionMemory: cfg().sessionMemoryMb,
    maxHeaderListPairs: 256,
  });
  const connections = new Set<H2Connection>();
  let attaching: H2Connection | null = null;
  server.on("session", (session: ServerHttp2Session) => {
    const conn = attaching;
    if (!conn) return;
    conn.session = session;
    session.on("stream", (stream, headers) => onStream(st, conn, stream, headers));
    session.on("error", () => {});
    session.on("close", () => conn.closeSoon());
  });

  const sweeper = setInterval(() => {
    const now = st.clock;
    const { clientIdleMs, headerMs } = st.core.cfg.timeouts;
    const { sendTimeoutMs } = cfg();
    for (const conn of connections) {
      // A header block left open (HEADERS without its last CONTINUATION): a slow-loris over HTTP/2.
      const since = conn.guard.blockSince;
      if (since && now - since > headerMs) conn.kill("header-timeout");
      if (conn.streams.size === 0 && now - conn.lastActive > clientIdleMs) conn.kill("idle");
      // A response that cannot leave: writes refused, or ended but its last frames still queued
      // because the client keeps its window shut (flow-control abuse holds memory).
      const wall = Date.now();
      for (const s of conn.streams) {
        const since = s.blockedSince || s.endedAt;
        if (since && wall - since > sendTimeoutMs) {
          st.core.metrics.h2Cut.inc({ reason: "stalled" });
          s.cancel();
          conn.streams.delete(s);
        }
      }
    }
  }, 1000);
  sweeper.unref();

  return {
    attach(c, sock) {
      const h = cfg();
      // Frames of one response may leave in several writes (the END_STREAM often a turn
      // later): with Nagle on, the last waits for the client's delayed ACK (~40 ms).
      sock.setNoDelay(true);
      const duplex = new SocketDuplex(sock);
      const conn = new H2Connection(st, c, duplex, {
        maxResetsPerSecond: h.maxResetsPerSecond,
        maxControlPerSecond: h.maxControlPerSecond,
        maxHeaderBlockBytes: h.maxHeaderListBytes + 4096,
        maxContinuations: h.maxContinuations,
        maxFrameBytes: 16_384,
      });
      c.h2 = conn;
      st.core.metrics.h2Connections++;
      connections.add(conn);
      duplex.on("close", () => connections.delete(conn));
      duplex.on("error", () => {});
      attaching = conn;
      server.emit("connection", duplex);
      attaching = null;
    },
    close() {
      clearInterval(sweeper);
    },
  };
}

/** A new stream: a client record of the engine, fed the request as HTTP/1. */
function onStream(
  st: EngineState,
  conn: H2Connection,
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
): void {
  const parent = conn.c;
  const sock = new StreamSocket(stream, parent.ip, st.scratch.buffer, () => clientClosed(st, c), conn.flush);
  const c = streamClient(st, parent, sock);
  sock.data = c;
  st.clients.add(c);
  conn.streams.add(sock);
  conn.lastActive = st.clock;
  stream.on("close", () => {
    conn.lastActive = st.clock;
    conn.streams.delete(sock);
    clientClosed(st, c);
  });
  stream.on("error", () => {});
  stream.on("drain", () => {
    sock.blockedSince = 0;
    clientDrained(st, c);
  });
  const r = toHttp1Head(headers);
  if (!r.ok) {
    rejectHead(st, c, 400, `Malformed HTTP/2 request: ${r.reason}.`);
    return;
  }
  const declared = r.length;
  if (stream.endAfterHeaders) {
    if (declared) rejectHead(st, c, 400, "Content-Length without a body.");
    else clientData(st, c, finishHead(r.head, declared));
    return;
  }
  if (declared !== null) streamBody(st, c, stream, finishHead(r.head, declared), declared);
  else bufferBody(st, c, stream, r.head);
}

/** A body of declared length: the head at once, DATA as it comes; a mismatch is a malformed request. */
function streamBody(
  st: EngineState,
  c: Client,
  stream: ServerHttp2Stream,
  head: Buffer,
  declared: number,
): void {
  clientData(st, c, head);
  let received = 0;
  stream.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > declared) {
      if (c.ex) abortRequest(st, c.ex, 400, "More DATA than Content-Length.");
      return;
    }
    if (!c.closed) clientData(st, c, chunk);
  });
  stream.on("end", () => {
    if (received < declared && c.ex && !c.ex.bodyDone)
      abortRequest(st, c.ex, 400, "Less DATA than Content-Length.");
  });
}

/** A body of unknown length: read whole (up to the body limit), then sent with a Content-Length. */
function bufferBody(st: EngineState, c: Client, stream: ServerHttp2Stream, head: string): void {
  const parts: Buffer[] = [];
  let total = 0;
  let refused = false;
  stream.on("data", (chunk: Buffer) => {
    if (refused) return;
    total += chunk.length;
    if (total > st.core.cfg.limits.maxBodyBytes) {
      refused = true;
      rejectHead(st, c, 413, `Request body exceeds ${st.core.cfg.limits.maxBodyBytes} bytes.`);
      return;
    }
    parts.push(chunk);
  });
  stream.on("end", () => {
    if (refused || c.closed) return;
    clientData(st, c, finishHead(head, total));
    if (total > 0) clientData(st, c, Buffer.concat(parts, total));
  });
}
