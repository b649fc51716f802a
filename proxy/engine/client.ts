import type { SocketHandler } from "bun";
import { validRequestId } from "../headers.ts";
import {
  ChunkedParser,
  F_REQUEST_ID,
  HttpParseError,
  headEnd,
  idempotentMethods,
  NO_BODY,
  parseRequestHead,
  type RequestHead,
} from "../http1.ts";
import { verifyAccessToken } from "../jwt.ts";
import { startRequestSpan } from "../trace.ts";
import { finishExchange, releaseInFlight } from "./exchange.ts";
import { serveStatic } from "./files.ts";
import { problem, rejectHead, respondLocal } from "./local.ts";
import { isOperationsOnly, isProxied } from "./paths.ts";
import { admitClient, openPending, releaseClient, resolvePending } from "./peer.ts";
import {
  ADDRESS_KNOWN,
  AWAIT_PROXY_HEADER,
  type Client,
  CRLF,
  type EngineState,
  type Exchange,
  NONE,
} from "./state.ts";
import { dispatch, dropUpstream, forwardBody, gate } from "./upstream.ts";
import { flushQueue, sendClient, sendUp } from "./writes.ts";

/**
 * The client connection: bytes in, request heads parsed, exchanges started in
 * order (pipelining), request bodies fed to the upstream, and the connection's
 * end.
 */

const API_PREFIX = Buffer.from("/api/", "latin1");
/** Forwarding lines of a client whose address is not known yet (replaced in `admitClient`). */
const NO_BYTES = Buffer.alloc(0);

/** Parses and starts the requests waiting in a client's buffer, one at a time. */
export function processBuffered(st: EngineState, c: Client): void {
  while (!c.ex && c.buf && !c.closed && !c.closeAfter && !c.tunnel) {
    const buf = c.buf;
    const end = headEnd(buf);
    if (end < 0) {
      if (buf.length > st.core.cfg.limits.maxHeaderBytes) rejectHead(st, c, 431, "Request header too large.");
      else if (!c.headStart) c.headStart = Date.now();
      return;
    }
    if (end > st.core.cfg.limits.maxHeaderBytes) {
      rejectHead(st, c, 431, "Request header too large.");
      return;
    }
    let head: RequestHead;
    try {
      head = parseRequestHead(buf, end);
    } catch (err) {
      if (err instanceof HttpParseError) {
        rejectHead(st, c, err.status, err.message);
        return;
      }
      throw err;
    }
    c.headStart = 0;
    c.buf = end < buf.length ? buf.subarray(end) : null;
    startExchange(st, c, head);
  }
}

/** A parsed request head: local answers, static files, or on through the rate limiter to an upstream. */
function startExchange(st: EngineState, c: Client, head: RequestHead): void {
  const ex: Exchange = {
    c,
    head,
    idSeq: validRequestId(head.buf, head.fieldFrom(F_REQUEST_ID), head.fieldTo(F_REQUEST_ID))
      ? -1
      : st.ids.next(),
    t0: performance.now(),
    bodyLeft: head.framing.kind === "length" ? head.framing.length : 0,
    chunk: head.framing.kind === "chunked" ? new ChunkedParser() : null,
    bodyDone: head.framing.kind === "none",
    bodyBytes: 0,
    pending: NONE,
    retained: idempotentMethods.has(head.method) ? NONE : null,
    retainedBytes: 0,
    sentAny: false,
    up: null,
    conn: null,
    attempts: 0,
    lastUp: 0,
    resBuf: null,
    res: null,
    resStarted: false,
    framing: NO_BODY,
    resLeft: 0,
    resChunk: null,
    decode: false,
    zip: null,
    collect: null,
    collectTail: "",
    encoding: null,
    status: 0,
    bytesOut: 0,
    done: false,
    extra: "",
    upstreamName: "local",
    waitBody: false,
    inFlight: false,
    clientIp: c.ip,
    chain: null,
  };
  if (c.trusted) {
    const name = st.core.cfg.realIpHeader;
    const real =
      name === "x-forwarded-for"
        ? st.core.trusted.clientFrom(head.forwardedForJoined ?? head.field("x-forwarded-for"))
        : st.core.trusted.clientFromSingle(head.anyField(name));
    if (real) {
      ex.clientIp = real.ip;
      ex.chain = real.chain;
    }
  }
  if (st.core.tracer !== null) startRequestSpan(st.core.tracer, ex);
  c.ex = ex;
  if (head.buf[head.targetFrom] !== 0x2f) {
    // absolute-form and asterisk-form are for forward proxies; this is a reverse proxy.
    problem(st, ex, 400, "bad-request", "Request target must be an absolute path.");
    return;
  }
  if (c.redirect) {
    const host = head.host.replace(/:\d+$/, "");
    const port = st.redirectPort === 443 ? "" : `:${st.redirectPort}`;
    respondLocal(st, ex, 301, [["Location", `https://${host}${port}${head.target}`]], "");
    return;
  }
  const limit = st.core.cfg.limits.maxBodyBytes;
  if (head.framing.kind === "length" && head.framing.length > limit) {
    problem(st, ex, 413, "payload-too-large", `Request body exceeds ${limit} bytes.`);
    return;
  }
  if (!head.targetStartsWith(API_PREFIX)) {
    const path = head.path;
    if (isOperationsOnly(path)) {
      problem(st, ex, 404, "not-found", "Not found.");
      return;
    }
    if (!isProxied(path)) {
      serveStatic(st, ex);
      return;
    }
  }
  if (head.expectContinue && !ex.bodyDone) sendClient(st, c, `HTTP/1.1 100 Continue${CRLF}${CRLF}`);
  // Body bytes that came with the head.
  if (!ex.bodyDone && c.buf) {
    const buf = c.buf;
    c.buf = null;
    c.buf = feedBody(st, ex, buf);
  }
  if (ex.done) return;
  // A small body still on its way is read here first: a slow sender then holds
  // no upstream connection (only its own socket, under the body deadline).
  if (
    !ex.bodyDone &&
    head.framing.kind === "length" &&
    head.framing.length <= st.core.cfg.limits.bufferBodyBytes
  ) {
    ex.waitBody = true;
    return;
  }
  route(st, ex);
}

/** A proxied request ready to go: the in-flight cap, the rate limiter, then an upstream. */
function route(st: EngineState, ex: Exchange): void {
  const cap = st.core.cfg.limits.maxInFlight;
  if (cap > 0 && st.inFlight >= cap) {
    problem(st, ex, 503, "overloaded", "The proxy is at its request limit; try again shortly.", [
      ["Retry-After", "1"],
    ]);
    return;
  }
  ex.inFlight = true;
  st.inFlight++;
  const head = ex.head;
  const zone = st.core.cfg.rateLimit.enabled ? st.core.limiter.zoneFor(head.path) : undefined;
  if (!zone) {
    dispatch(st, ex, undefined);
    return;
  }
  const user = verifyAccessToken(head.field("authorization"), st.core.cfg.jwtSecret);
  st.core.limiter.takeFor(zone, ex.clientIp, user).then(
    (d) => gate(st, ex, d),
    () => dispatch(st, ex, undefined),
  );
}

/** Consumes request-body bytes; returns what follows the body (a pipelined request) or null. */
function feedBody(st: EngineState, ex: Exchange, data: Buffer): Buffer | null {
  let piece: Buffer;
  let rest: Buffer | null = null;
  if (ex.chunk) {
    let end: number;
    try {
      end = ex.chunk.feed(data, 0);
    } catch (err) {
      abortRequest(
        st,
        ex,
        err instanceof HttpParseError ? err.status : 400,
        "Malformed chunked request body.",
      );
      return null;
    }
    if (ex.chunk.total > st.core.cfg.limits.maxBodyBytes) {
      abortRequest(st, ex, 413, `Request body exceeds ${st.core.cfg.limits.maxBodyBytes} bytes.`);
      return null;
    }
    if (end < 0) piece = data;
    else {
      piece = data.subarray(0, end);
      rest = end < data.length ? data.subarray(end) : null;
      ex.bodyDone = true;
    }
  } else {
    const take = Math.min(ex.bodyLeft, data.length);
    piece = take === data.length ? data : data.subarray(0, take);
    rest = take < data.length ? data.subarray(take) : null;
    ex.bodyLeft -= take;
    if (ex.bodyLeft === 0) ex.bodyDone = true;
  }
  ex.bodyBytes += piece.length;
  if (!ex.done && piece.length) forwardBody(st, ex, piece);
  if (ex.bodyDone && ex.done) {
    // The response went out before the body was read to its end; the connection survives.
    const c = ex.c;
    if (!c.closeAfter && !c.ex && rest) {
      c.buf = rest;
      processBuffered(st, c);
      return c.buf;
    }
  }
  if (ex.waitBody && ex.bodyDone && !ex.done) {
    ex.waitBody = false;
    route(st, ex);
  }
  return rest;
}

/** A bad, oversized or late request body: answer if nothing was sent yet, then drop the connection. */
export function abortRequest(st: EngineState, ex: Exchange, status: number, detail: string): void {
  ex.c.closeAfter = true;
  dropUpstream(st, ex);
  if (!ex.resStarted && !ex.done) {
    const code = status === 413 ? "payload-too-large" : status === 408 ? "request-timeout" : "bad-request";
    problem(st, ex, status, code, detail);
  } else {
    ex.done = true;
    releaseInFlight(st, ex);
    ex.c.sock.terminate();
  }
}

/**
 * Socket handlers of a client listener (made once per listener). `first` says
 * how the client's address becomes known: `ADDRESS_KNOWN` (the socket peer),
 * `AWAIT_PROXY_HEADER` or `AWAIT_RELAY` (see `peer.ts`).
 */
export function clientHandlers(
  st: EngineState,
  secure: boolean,
  redirect: boolean,
  first: number = ADDRESS_KNOWN,
): SocketHandler<Client> {
  return {
    open(sock) {
      const c: Client = {
        sock,
        ip: sock.remoteAddress,
        trusted: false,
        pending: first,
        counted: false,
        secure,
        buf: null,
        headStart: 0,
        ex: null,
        out: null,
        closeAfter: false,
        lastActive: st.clock,
        closed: false,
        tunnel: null,
        redirect,
        forwarded: NO_BYTES,
        forwardedFor: NO_BYTES,
        h2: null,
        stream: false,
      };
      sock.data = c;
      st.clients.add(c);
      st.core.metrics.clientConnections++;
      if (first === ADDRESS_KNOWN) admitClient(st, c, c.ip);
      else openPending(st, c);
    },
    data(sock, data) {
      const c = sock.data;
      if (c.pending !== ADDRESS_KNOWN) {
        if (c.pending === AWAIT_PROXY_HEADER) {
          if (resolvePending(st, c, data) && c.buf) {
            if (c.h2) {
              // The PROXY header and the HTTP/2 preface arrived together.
              const rest = c.buf;
              c.buf = null;
              c.h2.data(rest);
            } else processBuffered(st, c);
          }
          return;
        }
        if (!resolvePending(st, c, data)) return;
      }
      if (c.h2) c.h2.data(data);
      else clientData(st, c, data);
    },
    drain(sock) {
      const c = sock.data;
      if (c.h2) c.h2.drain();
      else clientDrained(st, c);
    },
    close(sock) {
      const c = sock.data;
      if (c) clientClosed(st, c);
    },
    error() {
      // close follows
    },
  };
}

/** Request bytes from a client (socket data, or an HTTP/2 stream's head and body). */
export function clientData(st: EngineState, c: Client, data: Buffer): void {
  c.lastActive = st.clock;
  if (c.tunnel) {
    sendUp(st, c.tunnel, data);
    return;
  }
  if (c.closeAfter && !c.ex) return;
  const ex = c.ex;
  if (ex && !ex.bodyDone) {
    const rest = feedBody(st, ex, data);
    if (rest) c.buf = c.buf ? Buffer.concat([c.buf, rest]) : rest;
  } else c.buf = c.buf ? Buffer.concat([c.buf, data]) : data;
  if (!c.ex) processBuffered(st, c);
  else if (c.buf && c.buf.length > 1 << 20) c.sock.pause(); // a flood of pipelined requests waits its turn
}

/** A client's queued bytes were written: resume its upstream, wake static-file streams, close if due. */
export function clientDrained(st: EngineState, c: Client): void {
  if (c.out && flushQueue(c.sock, c.out)) {
    c.out = null;
    const conn = c.ex?.conn ?? c.tunnel;
    conn?.sock?.resume();
    const waiters = st.drainWaiters.get(c);
    if (waiters) {
      st.drainWaiters.delete(c);
      for (const w of waiters) w();
    }
    if (c.closeAfter && !c.ex) c.sock.end();
  }
}

/** A client went away: counts, waiters, the exchange in progress (499) and any tunnel. */
export function clientClosed(st: EngineState, c: Client): void {
  if (c.closed) return;
  c.closed = true;
  st.clients.delete(c);
  if (c.h2) c.h2.closed();
  if (!c.stream) {
    st.core.metrics.clientConnections--;
    releaseClient(st, c);
  }
  const waiters = st.drainWaiters.get(c);
  if (waiters) {
    st.drainWaiters.delete(c);
    for (const w of waiters) w();
  }
  const ex = c.ex;
  if (ex && !ex.done) {
    ex.status = ex.status || 499; // client closed first (nginx's convention)
    dropUpstream(st, ex);
    ex.zip?.destroy();
    finishExchange(st, ex);
  }
  if (c.tunnel) {
    const conn = c.tunnel;
    c.tunnel = null;
    conn.tunnel = null;
    st.pool.destroy(conn);
  }
  if (st.draining && st.clients.size === 0) st.drainResolve?.();
}
