import type { Socket, SocketHandler, TCPSocketListener } from "bun";
import { problemBody } from "../platform/problem.ts";
import { Compressor, compressBuffer, pickEncoding } from "./compress.ts";
import type { ProxyCore } from "./core.ts";
import { RequestIds, reasons, validRequestId } from "./headers.ts";
import {
  ChunkedParser,
  copyRanges,
  copyStartAndRanges,
  F_FORWARDED_FOR,
  F_REQUEST_ID,
  type Framing,
  HttpParseError,
  headEnd,
  idempotentMethods,
  NO_BODY,
  parseRequestHead,
  parseResponseHead,
  type RequestHead,
  type ResponseHead,
  rangesLength,
  responseFraming,
} from "./http1.ts";
import { verifyAccessToken } from "./jwt.ts";
import { type UpConn, UpstreamPool } from "./pool.ts";
import type { RateDecision } from "./ratelimit.ts";
import type { StaticReply } from "./static.ts";
import type { Upstream } from "./upstream.ts";

/**
 * The default ("raw") engine: clients via Bun.listen, upstreams via pooled
 * Bun.connect sockets. Only message heads are parsed and rewritten; body bytes
 * are passed on as received (measured: ~0.9× nginx on small, ~1× on 20 KB
 * responses, where Bun.serve-based designs stall on large proxied bodies).
 */

/** One client connection. */
interface Client {
  sock: Socket<Client>;
  ip: string;
  secure: boolean;
  /** received bytes not consumed yet (a head in progress or pipelined requests) */
  buf: Buffer | null;
  headStart: number;
  ex: Exchange | null;
  out: Buffer[] | null;
  /** close once the current response has been written */
  closeAfter: boolean;
  lastActive: number;
  closed: boolean;
  tunnel: Conn | null;
  /** the listener this client came in on redirects everything to HTTPS */
  redirect: boolean;
  /** X-Real-IP and X-Forwarded-Proto lines for this connection's requests, and the X-Forwarded-Host name */
  forwarded: Buffer;
  /** the same, led by an X-Forwarded-For naming only this client */
  forwardedFor: Buffer;
}

type Conn = UpConn<Exchange, Client>;

/** One request/response pair on a client connection. */
interface Exchange {
  c: Client;
  head: RequestHead;
  /** the proxy-made request id, or -1 when the client's own is kept (see `writeRequestId`) */
  idSeq: number;
  t0: number;
  bodyLeft: number;
  chunk: ChunkedParser | null;
  bodyDone: boolean;
  bodyBytes: number;
  pending: Buffer[];
  retained: Buffer[] | null;
  retainedBytes: number;
  sentAny: boolean;
  up: Upstream | null;
  conn: Conn | null;
  attempts: number;
  lastUp: number;
  resBuf: Buffer | null;
  res: ResponseHead | null;
  resStarted: boolean;
  framing: Framing;
  resLeft: number;
  resChunk: ChunkedParser | null;
  /** chunked upstream body decoded for an HTTP/1.0 client or the compressor */
  decode: boolean;
  zip: Compressor | null;
  /** body collected for one-shot compression */
  collect: Buffer[] | null;
  /** response head text after the forwarded lines, for the collected body */
  collectTail: string;
  encoding: "br" | "gzip" | null;
  status: number;
  bytesOut: number;
  done: boolean;
  /** RateLimit-* response headers (raw head text) */
  extra: string;
  upstreamName: string;
}

const CRLF = "\r\n";
/** Shared empty list for `pending`/`retained` (never pushed to: replaced on first use). */
const NONE: Buffer[] = Object.freeze([]) as unknown as Buffer[];
const CRLF_CRLF = "\r\n\r\n";

const statusLines = new Map<number, string>();
/** `HTTP/1.1 <status> <reason>` with its CRLF, made once per status. */
function statusLineText(status: number): string {
  let line = statusLines.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${reasons[status] ?? "Status"}${CRLF}`;
    statusLines.set(status, line);
  }
  return line;
}

/** Writes a non-negative integer in decimal at `out[at]`; returns the digits written. */
function writeDecimal(value: number, out: Buffer, at: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = digits - 1; i >= 0; i--) {
    out[at + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return digits;
}
const proxiedExact = new Set([
  "/healthz",
  "/readyz",
  "/health",
  "/metrics",
  "/api",
  "/",
  "/sitemap.xml",
  "/robots.txt",
]);
const API_PREFIX = Buffer.from("/api/", "latin1");
// The server-rendered storefront and console (docs/API.md "Pages"): the app answers these.
const pagePrefixes = [
  "/c/",
  "/p/",
  "/search",
  "/cart",
  "/checkout",
  "/account",
  "/signin",
  "/register",
  "/signout",
  "/admin",
];

/** True for paths forwarded to the app instances; everything else is static. */
export function isProxied(path: string): boolean {
  return path.startsWith("/api/") || proxiedExact.has(path) || pagePrefixes.some((p) => path.startsWith(p));
}

/** A running raw engine. */
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

/** Builds the raw engine over the shared core. */
export function createRawEngine(core: ProxyCore): RawEngine {
  const clients = new Set<Client>();
  /**
   * Milliseconds since the epoch, refreshed by the sweeper every 100 ms. Timeouts
   * are checked at that granularity anyway, and the hot path then reads no clock
   * for them (latency for metrics and the balancer uses performance.now()).
   */
  let clock = Date.now();
  const perIp = new Map<string, number>();
  const listeners: TCPSocketListener<Client>[] = [];
  let draining = false;
  let redirectPort = 0;
  let drainResolve: (() => void) | null = null;

  // ---------- writing with backpressure ----------

  // Heads (plus a small first body part) are assembled here and written straight from it:
  // a fresh Buffer per write costs more in allocation and GC than the proxy's own work.
  const scratch = Buffer.allocUnsafe(64 * 1024);

  /** A buffer to assemble up to `bound` bytes in: the shared scratch buffer when they fit. */
  function outBuffer(bound: number): Buffer {
    return bound <= scratch.length ? scratch : Buffer.allocUnsafe(bound);
  }

  /** Bytes of `out` that must outlive this call (scratch is reused by the next write). */
  function ownBytes(out: Buffer, from: number, to: number): Buffer {
    return out === scratch ? Buffer.from(out.subarray(from, to)) : out.subarray(from, to);
  }

  /**
   * Writes `out[0, len)` on `sock`, or queues it behind bytes already waiting.
   * True when this write came up short and started the queue: the caller then
   * pauses the other side until `drain` empties it. No copy when the socket
   * takes everything.
   */
  function writeOrQueue(
    side: Client | Conn,
    sock: Socket<Client> | Socket<Conn>,
    out: Buffer,
    len: number,
  ): boolean {
    if (side.out) {
      side.out.push(ownBytes(out, 0, len));
      return false;
    }
    const n = Math.max(0, sock.write(out, 0, len));
    if (n >= len) return false;
    side.out = [ownBytes(out, n, len)];
    return true;
  }

  /** Writes `out[0, len)` to a client; a short write pauses its upstream (or tunnel). */
  function sendClientAssembled(c: Client, out: Buffer, len: number): void {
    if (c.closed) return;
    if (writeOrQueue(c, c.sock, out, len)) (c.ex?.conn ?? c.tunnel)?.sock?.pause();
  }

  /** Writes `out[0, len)` to an upstream; a short write pauses its client. */
  function sendUpAssembled(conn: Conn, out: Buffer, len: number): void {
    if (conn.closed || !conn.sock) return;
    if (writeOrQueue(conn, conn.sock, out, len)) (conn.ex?.c ?? conn.tunnel)?.sock.pause();
  }

  /**
   * Writes a client response head into `out`: the status line (the upstream's own
   * when it is HTTP/1.1 with a reason phrase), the upstream's lines in `ranges`
   * copied from the received bytes, `tail`, the security headers and the request
   * id. Pieces are written one after another: no string is concatenated.
   */
  function writeResponseHead(
    ex: Exchange,
    res: ResponseHead,
    ranges: number[],
    tail: string,
    out: Buffer,
  ): number {
    const buf = res.buf;
    let n: number;
    if (res.minor === 1 && res.lineEnd > 15) n = copyStartAndRanges(buf, res.lineEnd, ranges, out);
    else {
      const reason =
        res.lineEnd > 15 ? buf.latin1Slice(13, res.lineEnd - 2) : (reasons[res.status] ?? "Status");
      n = copyRanges(buf, ranges, out, out.latin1Write(`HTTP/1.1 ${res.status} ${reason}${CRLF}`, 0));
    }
    if (tail) n += out.latin1Write(tail, n);
    n += securityBlock(ex.c.secure).copy(out, n);
    n += writeRequestId(ex, out, n);
    if (ex.extra) {
      n += out.latin1Write(CRLF, n);
      n += out.latin1Write(ex.extra, n);
      n += out.latin1Write(CRLF, n);
    } else n += out.latin1Write(CRLF_CRLF, n);
    return n;
  }

  // The security headers and the name of the request-id line, encoded once per configuration.
  let securityFor: typeof core.headers | null = null;
  let securityHttp = Buffer.alloc(0);
  let securityHttps = Buffer.alloc(0);
  function securityBlock(secure: boolean): Buffer {
    if (securityFor !== core.headers) {
      securityFor = core.headers;
      securityHttp = Buffer.from(`${core.headers.http}X-Request-Id: `, "latin1");
      securityHttps = Buffer.from(`${core.headers.https}X-Request-Id: `, "latin1");
    }
    return secure ? securityHttps : securityHttp;
  }

  /** Sends a response head (see `writeResponseHead`) and `body[from, to)` in one write. */
  function sendResponseHead(
    ex: Exchange,
    res: ResponseHead,
    ranges: number[],
    tail: string,
    body: Uint8Array | null,
    from = 0,
    to = 0,
  ): void {
    const bodyLen = body ? to - from : 0;
    // A client's own request id is part of its head (a made one is 32 bytes); the
    // status line, CRLFs and Content-Encoding/Vary text fit in the fixed slack.
    const bound =
      res.lineEnd +
      48 +
      rangesLength(ranges) +
      tail.length +
      securityBlock(ex.c.secure).length +
      ex.extra.length +
      ex.head.end +
      64;
    const out = outBuffer(bound + bodyLen);
    let n = writeResponseHead(ex, res, ranges, tail, out);
    if (body && bodyLen > 0) {
      if (body instanceof Buffer) body.copy(out, n, from, to);
      else out.set(from === 0 && to === body.length ? body : body.subarray(from, to), n);
      n += bodyLen;
    }
    sendClientAssembled(ex.c, out, n);
  }

  /** Writes to a client; on a short write the rest is queued and the upstream paused. */
  function sendClient(c: Client, data: Buffer | string): void {
    const buf = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    sendClientAssembled(c, buf, buf.length);
  }

  function sendUp(conn: Conn, buf: Buffer): void {
    sendUpAssembled(conn, buf, buf.length);
  }

  function flushQueue(sock: Socket<Client> | Socket<Conn>, q: Buffer[]): boolean {
    while (q.length) {
      const b = q[0]!;
      const n = sock.write(b);
      if (n < b.length) {
        q[0] = b.subarray(Math.max(0, n));
        return false;
      }
      q.shift();
    }
    return true;
  }

  function endClient(c: Client): void {
    if (c.closed) return;
    if (c.out) {
      c.closeAfter = true;
      return;
    }
    c.sock.end();
  }

  // ---------- local responses ----------

  /** A local response head; `lines` is `pairs` already rendered (cached static replies). */
  function headText(
    status: number,
    pairs: [string, string][],
    secure: boolean,
    keep: boolean,
    lines?: string,
  ): string {
    let h = `HTTP/1.1 ${status} ${reasons[status] ?? "Status"}${CRLF}`;
    if (lines !== undefined) h += lines;
    else for (const [k, v] of pairs) h += `${k}: ${v}${CRLF}`;
    h += secure ? core.headers.https : core.headers.http;
    if (!keep) h += `Connection: close${CRLF}`;
    return h;
  }

  /** Whether the client connection may carry another request after this exchange. */
  function keepClient(ex: Exchange): boolean {
    return ex.head.keepAlive && !draining && !ex.c.closeAfter && ex.bodyDone;
  }

  function respondLocal(
    ex: Exchange,
    status: number,
    pairs: [string, string][],
    body: Uint8Array | string,
    lines?: string,
  ): void {
    if (ex.done) return;
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const keep = keepClient(ex);
    if (!keep) ex.c.closeAfter = true;
    ex.status = status;
    ex.resStarted = true;
    const withBody = ex.head.method !== "HEAD" && status !== 304 && bytes.length > 0;
    // Written piece by piece into the scratch buffer with the body, sent in one write:
    // static files are answered here, and their header lines come pre-rendered.
    const statusLine = statusLineText(status);
    const pre = lines ?? pairs.map(([k, v]) => `${k}: ${v}${CRLF}`).join("");
    const security = securityBlock(ex.c.secure);
    const out = outBuffer(
      statusLine.length + pre.length + security.length + ex.extra.length + ex.head.end + 96 + bytes.length,
    );
    let n = out.latin1Write(statusLine, 0);
    n += out.latin1Write(pre, n);
    if (!keep) n += out.latin1Write(`Connection: close${CRLF}`, n);
    n += security.copy(out, n);
    n += writeRequestId(ex, out, n);
    n += out.latin1Write(CRLF, n);
    if (ex.extra) n += out.latin1Write(ex.extra, n);
    n += out.latin1Write("Content-Length: ", n);
    n += writeDecimal(bytes.length, out, n);
    n += out.latin1Write(CRLF_CRLF, n);
    if (withBody) {
      out.set(bytes, n);
      n += bytes.length;
    }
    sendClientAssembled(ex.c, out, n);
    ex.bytesOut += bytes.length;
    finishExchange(ex);
  }

  function problem(
    ex: Exchange,
    status: number,
    code: string,
    detail: string,
    extra: [string, string][] = [],
  ): void {
    const body = JSON.stringify(problemBody(status, code, detail));
    respondLocal(ex, status, [["Content-Type", "application/problem+json"], ...extra], body);
  }

  /** For errors before an exchange exists (bad head): answer and close. */
  function rejectHead(c: Client, status: number, detail: string): void {
    const body = JSON.stringify(problemBody(status, "bad-request", detail));
    const head = headText(status, [["Content-Type", "application/problem+json"]], c.secure, false);
    sendClient(c, `${head}Content-Length: ${Buffer.byteLength(body)}${CRLF}${CRLF}${body}`);
    c.buf = null;
    c.closeAfter = true;
    endClient(c);
    core.metrics.request("local", status, 0);
  }

  // ---------- exchange lifecycle ----------

  function finishExchange(ex: Exchange): void {
    if (ex.done) return;
    ex.done = true;
    const c = ex.c;
    const seconds = (performance.now() - ex.t0) / 1000;
    core.metrics.request(ex.upstreamName, ex.status, seconds);
    if (core.accessLog.enabled)
      core.accessLog.log({
        method: ex.head.method,
        path: ex.head.target,
        status: ex.status,
        ms: Math.round(seconds * 100_000) / 100,
        bytes: ex.bytesOut,
        ip: c.ip,
        upstream: ex.upstreamName,
        requestId: reqId(ex),
      });
    if (c.ex === ex) c.ex = null;
    // An unread request body leaves the connection out of step: close it.
    if (!ex.bodyDone || !ex.head.keepAlive || draining) c.closeAfter = true;
    if (c.closeAfter) {
      endClient(c);
      return;
    }
    if (c.buf) processBuffered(c);
  }

  function processBuffered(c: Client): void {
    while (!c.ex && c.buf && !c.closed && !c.closeAfter && !c.tunnel) {
      const buf = c.buf;
      const end = headEnd(buf);
      if (end < 0) {
        if (buf.length > core.cfg.limits.maxHeaderBytes) rejectHead(c, 431, "Request header too large.");
        else if (!c.headStart) c.headStart = Date.now();
        return;
      }
      if (end > core.cfg.limits.maxHeaderBytes) {
        rejectHead(c, 431, "Request header too large.");
        return;
      }
      let head: RequestHead;
      try {
        head = parseRequestHead(buf, end);
      } catch (err) {
        if (err instanceof HttpParseError) {
          rejectHead(c, err.status, err.message);
          return;
        }
        throw err;
      }
      c.headStart = 0;
      c.buf = end < buf.length ? buf.subarray(end) : null;
      startExchange(c, head);
    }
  }

  // ---------- request ids ----------

  const ids = new RequestIds();

  /** The request id as text (for logs and responses the proxy makes itself). */
  function reqId(ex: Exchange): string {
    if (ex.idSeq >= 0) return ids.text(ex.idSeq);
    const h = ex.head;
    return h.buf.latin1Slice(h.fieldFrom(F_REQUEST_ID), h.fieldTo(F_REQUEST_ID));
  }

  /** Writes the request id into an outgoing head without making a string. */
  function writeRequestId(ex: Exchange, out: Buffer, at: number): number {
    if (ex.idSeq >= 0) return ids.write(ex.idSeq, out, at);
    const h = ex.head;
    return h.buf.copy(out, at, h.fieldFrom(F_REQUEST_ID), h.fieldTo(F_REQUEST_ID));
  }

  function startExchange(c: Client, head: RequestHead): void {
    const ex: Exchange = {
      c,
      head,
      idSeq: validRequestId(head.buf, head.fieldFrom(F_REQUEST_ID), head.fieldTo(F_REQUEST_ID))
        ? -1
        : ids.next(),
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
    };
    c.ex = ex;
    if (head.buf[head.targetFrom] !== 0x2f) {
      // absolute-form and asterisk-form are for forward proxies; this is a reverse proxy.
      problem(ex, 400, "bad-request", "Request target must be an absolute path.");
      return;
    }
    if (c.redirect) {
      const host = head.host.replace(/:\d+$/, "");
      const port = redirectPort === 443 ? "" : `:${redirectPort}`;
      respondLocal(ex, 301, [["Location", `https://${host}${port}${head.target}`]], "");
      return;
    }
    const limit = core.cfg.limits.maxBodyBytes;
    if (head.framing.kind === "length" && head.framing.length > limit) {
      problem(ex, 413, "payload-too-large", `Request body exceeds ${limit} bytes.`);
      return;
    }
    if (!head.targetStartsWith(API_PREFIX) && !isProxied(head.path)) {
      serveStatic(ex);
      return;
    }
    if (head.expectContinue && !ex.bodyDone) sendClient(c, `HTTP/1.1 100 Continue${CRLF}${CRLF}`);
    // Body bytes that came with the head.
    if (!ex.bodyDone && c.buf) {
      const buf = c.buf;
      c.buf = null;
      c.buf = feedBody(ex, buf);
    }
    if (ex.done) return;
    const zone = core.cfg.rateLimit.enabled ? core.limiter.zoneFor(head.path) : undefined;
    if (!zone) {
      dispatch(ex, undefined);
      return;
    }
    const user = verifyAccessToken(head.field("authorization"), core.cfg.jwtSecret);
    core.limiter.take(zone, user ? `u:${user}` : `ip:${c.ip}`).then(
      (d) => gate(ex, d),
      () => dispatch(ex, undefined),
    );
  }

  function gate(ex: Exchange, d: RateDecision): void {
    if (ex.done || ex.c.closed) return;
    ex.extra = `RateLimit-Limit: ${d.limit}${CRLF}RateLimit-Remaining: ${d.remaining}${CRLF}RateLimit-Reset: ${d.resetS}${CRLF}`;
    if (d.allowed) {
      dispatch(ex, undefined);
      return;
    }
    problem(ex, 429, "rate-limited", "Too many requests; slow down.", [
      ["Retry-After", String(d.retryAfterS)],
    ]);
  }

  /**
   * Writes the upstream request head into `out`: the request line and header
   * lines copied from the received bytes, then the forwarding headers, one
   * framing and the upgrade pair, piece by piece (no string is concatenated).
   */
  function writeUpstreamHead(ex: Exchange, out: Buffer): number {
    const { head, c } = ex;
    const buf = head.buf;
    let n =
      head.minor === 1
        ? copyStartAndRanges(buf, head.lineEnd, head.forward, out)
        : copyRanges(
            buf,
            head.forward,
            out,
            out.latin1Write(`${head.method} ${head.target} HTTP/1.1${CRLF}`, 0),
          );
    const xff = head.fieldFrom(F_FORWARDED_FOR);
    if (xff >= 0) {
      n += out.latin1Write("X-Forwarded-For: ", n);
      if (head.forwardedForJoined !== undefined) n += out.latin1Write(head.forwardedForJoined, n);
      else n += buf.copy(out, n, xff, head.fieldTo(F_FORWARDED_FOR));
      n += out.latin1Write(", ", n);
      n += out.latin1Write(c.ip, n);
      n += out.latin1Write(CRLF, n);
      n += c.forwarded.copy(out, n);
    } else n += c.forwardedFor.copy(out, n);
    if (head.hostFrom >= 0) n += buf.copy(out, n, head.hostFrom, head.hostTo);
    n += out.latin1Write("\r\nX-Request-Id: ", n);
    n += writeRequestId(ex, out, n);
    const fr = head.framing;
    if (head.hostFrom >= 0 && fr.kind === "none" && !head.upgrade) {
      n += out.latin1Write(CRLF_CRLF, n);
      return n;
    }
    n += out.latin1Write(CRLF, n);
    // HTTP/1.0 clients may omit Host, but the upstream leg is HTTP/1.1, which requires one.
    if (head.hostFrom < 0) n += out.latin1Write(`Host: localhost${CRLF}`, n);
    if (fr.kind === "length") n += out.latin1Write(`Content-Length: ${fr.length}${CRLF}`, n);
    else if (fr.kind === "chunked") n += out.latin1Write(`Transfer-Encoding: chunked${CRLF}`, n);
    if (head.upgrade)
      n += out.latin1Write(`Connection: Upgrade${CRLF}Upgrade: ${head.field("upgrade")}${CRLF}`, n);
    n += out.latin1Write(CRLF, n);
    return n;
  }

  /** Consumes request-body bytes; returns what follows the body (a pipelined request) or null. */
  function feedBody(ex: Exchange, data: Buffer): Buffer | null {
    let piece: Buffer;
    let rest: Buffer | null = null;
    if (ex.chunk) {
      let end: number;
      try {
        end = ex.chunk.feed(data, 0);
      } catch (err) {
        abortRequest(ex, err instanceof HttpParseError ? err.status : 400, "Malformed chunked request body.");
        return null;
      }
      if (ex.chunk.total > core.cfg.limits.maxBodyBytes) {
        abortRequest(ex, 413, `Request body exceeds ${core.cfg.limits.maxBodyBytes} bytes.`);
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
    if (!ex.done && piece.length) forwardBody(ex, piece);
    if (ex.bodyDone && ex.done) {
      // The response went out before the body was read to its end; the connection survives.
      const c = ex.c;
      if (!c.closeAfter && !c.ex && rest) {
        c.buf = rest;
        processBuffered(c);
        return c.buf;
      }
    }
    return rest;
  }

  function forwardBody(ex: Exchange, piece: Buffer): void {
    const conn = ex.conn;
    if (conn?.sock && !ex.pending.length) {
      sendUp(conn, piece);
      retain(ex, piece);
      // A slow upload is activity too: the response timer runs from the last byte either way.
      ex.lastUp = clock;
    } else if (ex.pending === NONE) ex.pending = [piece];
    else ex.pending.push(piece);
  }

  function retain(ex: Exchange, piece: Buffer): void {
    if (!ex.retained) return;
    ex.retainedBytes += piece.length;
    if (ex.retainedBytes > core.cfg.retryBufferBytes) ex.retained = null;
    else if (ex.retained === NONE) ex.retained = [piece];
    else ex.retained.push(piece);
  }

  /** A bad or oversized request body: answer if nothing was sent yet, then drop the connection. */
  function abortRequest(ex: Exchange, status: number, detail: string): void {
    ex.c.closeAfter = true;
    dropUpstream(ex);
    if (!ex.resStarted && !ex.done) {
      problem(ex, status, status === 413 ? "payload-too-large" : "bad-request", detail);
    } else {
      ex.done = true;
      ex.c.sock.terminate();
    }
  }

  function dropUpstream(ex: Exchange): void {
    const conn = ex.conn;
    if (!conn) return;
    ex.conn = null;
    if (ex.up) ex.up.active--;
    pool.destroy(conn);
  }

  function dispatch(ex: Exchange, exclude: Upstream | undefined): void {
    if (ex.done || ex.c.closed) return;
    const now = clock;
    const up = core.pick(now, exclude);
    if (!up) {
      problem(ex, 502, "bad-gateway", "No healthy upstream is available.");
      return;
    }
    ex.attempts++;
    ex.up = up;
    ex.upstreamName = up.id;
    up.active++;
    ex.lastUp = now;
    const conn = pool.acquire(up, ex, now);
    ex.conn = conn;
    if (conn.sock) sendRequest(ex, conn, now);
  }

  /**
   * The upstream head plus whatever body bytes are already here, in one write.
   * Rebuilt from the received head on a retry, so nothing is kept per request.
   */
  function sendRequest(ex: Exchange, conn: Conn, now: number): void {
    const head = ex.head;
    const pending = ex.pending;
    ex.pending = NONE;
    ex.sentAny = true;
    ex.lastUp = now;
    const body = pending.length === 0 ? null : pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    const bound = 2 * head.end + 512 + ex.c.forwardedFor.length + (head.forwardedForJoined?.length ?? 0);
    const out = outBuffer(bound + (body ? body.length : 0));
    let n = writeUpstreamHead(ex, out);
    if (body) n += body.copy(out, n);
    sendUpAssembled(conn, out, n);
    if (pending !== NONE) for (const p of pending) retain(ex, p);
  }

  /** Connect error, lost connection before a response, or timeout. */
  function upstreamFailed(ex: Exchange, kind: "connect" | "reset" | "timeout"): void {
    const conn = ex.conn;
    const up = ex.up;
    if (conn) {
      ex.conn = null;
      conn.ex = null;
      pool.destroy(conn);
    }
    if (up) {
      up.active--;
      if (kind !== "timeout") {
        up.onFailure(Date.now());
        core.metrics.upstreamFailures.inc({ upstream: up.id, kind });
      }
    }
    if (ex.done || ex.c.closed) return;
    if (ex.resStarted) {
      // Part of the response is already with the client; all we can do is cut it short.
      ex.status = ex.status || 502;
      ex.done = true;
      ex.c.sock.terminate();
      return;
    }
    if (kind === "timeout") {
      problem(ex, 504, "gateway-timeout", "The upstream did not answer in time.");
      return;
    }
    const replayable = !ex.sentAny || (idempotentMethods.has(ex.head.method) && ex.retained !== null);
    if (ex.attempts <= core.cfg.retries && replayable && !ex.res) {
      core.metrics.retries.inc({ upstream: up?.id ?? "" });
      if (ex.sentAny) ex.pending = [...(ex.retained ?? []), ...ex.pending];
      ex.retained = idempotentMethods.has(ex.head.method) ? NONE : null;
      ex.retainedBytes = 0;
      ex.sentAny = false;
      ex.resBuf = null;
      dispatch(ex, up ?? undefined);
      return;
    }
    problem(ex, 502, "bad-gateway", "The upstream failed before answering.");
  }

  // ---------- responses ----------

  function onUpstreamData(conn: Conn, data: Buffer): void {
    const ex = conn.ex;
    if (!ex) {
      if (conn.tunnel) sendClient(conn.tunnel, data);
      else pool.destroy(conn); // bytes on an idle socket: the stream is out of step
      return;
    }
    ex.lastUp = clock;
    if (!ex.res) {
      const buf = ex.resBuf ? Buffer.concat([ex.resBuf, data]) : data;
      const end = headEnd(buf);
      if (end < 0 || end > 64 * 1024) {
        if (end > 0 || buf.length > 64 * 1024) badUpstream(ex, "response head too large");
        else ex.resBuf = buf;
        return;
      }
      ex.resBuf = null;
      let res: ResponseHead;
      try {
        res = parseResponseHead(buf, end);
        ex.framing = responseFraming(res, ex.head.method);
      } catch (err) {
        badUpstream(ex, err instanceof Error ? err.message : "bad response");
        return;
      }
      if (res.status >= 100 && res.status < 200 && res.status !== 101) {
        // Interim responses (100 was answered by the proxy itself) are dropped.
        if (end < buf.length) onUpstreamData(conn, buf.subarray(end));
        return;
      }
      ex.res = res;
      ex.status = res.status;
      if (res.status === 101) {
        startTunnel(ex, conn, res, end < buf.length ? buf.subarray(end) : null);
        return;
      }
      startResponse(ex, res, buf, end);
      return;
    }
    onResponseBody(ex, data);
  }

  function badUpstream(ex: Exchange, why: string): void {
    core.logger.warn("invalid upstream response", { upstream: ex.upstreamName, why });
    const conn = ex.conn;
    ex.conn = null;
    if (conn) pool.destroy(conn);
    if (ex.up) ex.up.active--;
    if (ex.resStarted) {
      ex.done = true;
      ex.c.sock.terminate();
    } else problem(ex, 502, "bad-gateway", "The upstream sent an invalid response.");
  }

  /** Entity headers of a compressed response (the upstream's Content-Length, ETag and Vary are left out). */
  function compressedTail(ex: Exchange, res: ResponseHead): string {
    let h = "";
    const etag = res.etag;
    if (etag) h += `ETag: ${etag.startsWith("W/") ? etag : `W/${etag}`}${CRLF}`;
    const vary = res.vary;
    h += `Content-Encoding: ${ex.encoding}${CRLF}Vary: ${vary ? `${vary}, Accept-Encoding` : "Accept-Encoding"}${CRLF}`;
    return h;
  }

  /** Starts the client response; the body's first bytes are `buf[from..]`. */
  function startResponse(ex: Exchange, res: ResponseHead, buf: Buffer, from: number): void {
    const c = ex.c;
    const f = ex.framing;
    const http10 = ex.head.minor === 0;
    const enc = core.cfg.compression.enabled
      ? pickEncoding(ex.head.field("accept-encoding"), ex.head.method, res, f, core.cfg)
      : null;
    ex.encoding = enc;
    let keep = keepClient(ex) && f.kind !== "close";
    if (f.kind === "chunked") {
      ex.resChunk = new ChunkedParser(64 * 1024);
      ex.decode = http10 || enc !== null;
    }
    if (f.kind === "length") ex.resLeft = f.length;
    let h = enc ? compressedTail(ex, res) : "";
    const ranges = enc ? res.forwardWithoutEntity() : res.forward;
    const restLen = buf.length - from;

    if (enc && f.kind === "length" && f.length <= core.cfg.compression.bufferMaxBytes) {
      // Known, modest size: collect, compress in one call, send with a Content-Length.
      ex.collect = [];
      ex.collectTail = h;
      if (restLen > 0) onResponseBody(ex, from === 0 ? buf : buf.subarray(from));
      return;
    }
    if (enc) {
      if (http10) keep = false;
      else h += `Transfer-Encoding: chunked${CRLF}`;
      ex.zip = new Compressor(enc, core.cfg, http10 ? "raw" : "chunked", (b) => {
        ex.bytesOut += b.length;
        sendClient(c, b);
      });
    } else if (f.kind === "chunked") {
      if (http10) keep = false;
      else h += `Transfer-Encoding: chunked${CRLF}`;
    }
    if (http10 && keep) h += `Connection: keep-alive${CRLF}`;
    if (!keep) {
      h += `Connection: close${CRLF}`;
      c.closeAfter = true;
    }
    ex.resStarted = true;
    if (f.kind === "none") {
      sendResponseHead(ex, res, ranges, h, null);
      upstreamDone(ex, restLen === 0);
      return;
    }
    if (restLen > 0 && f.kind === "length" && !ex.zip && restLen <= 32 * 1024) {
      // Head and first body bytes in one write: one syscall for most responses.
      const n = Math.min(ex.resLeft, restLen);
      sendResponseHead(ex, res, ranges, h, buf, from, from + n);
      ex.bytesOut += n;
      afterBody(ex, n, restLen);
      return;
    }
    if (restLen > 0 && !ex.decode && !ex.zip && restLen <= 32 * 1024) {
      const body = from === 0 ? buf : buf.subarray(from);
      const n = passBodyLength(ex, body);
      sendResponseHead(ex, res, ranges, h, body, 0, n);
      ex.bytesOut += n;
      afterBody(ex, n, restLen);
      return;
    }
    sendResponseHead(ex, res, ranges, h, null);
    if (restLen > 0) onResponseBody(ex, from === 0 ? buf : buf.subarray(from));
  }

  /** How many of these bytes belong to the body (pass-through framing). */
  function passBodyLength(ex: Exchange, data: Buffer): number {
    const f = ex.framing;
    if (f.kind === "length") return Math.min(ex.resLeft, data.length);
    if (f.kind === "close") return data.length;
    const end = ex.resChunk!.feed(data, 0);
    return end < 0 ? data.length : end;
  }

  function afterBody(ex: Exchange, used: number, total: number): void {
    const f = ex.framing;
    if (f.kind === "length") {
      ex.resLeft -= used;
      if (ex.resLeft === 0) upstreamDone(ex, used === total);
    } else if (f.kind === "chunked" && ex.resChunk!.done) upstreamDone(ex, used === total);
  }

  function onResponseBody(ex: Exchange, data: Buffer): void {
    if (ex.collect) {
      const n = Math.min(ex.resLeft, data.length);
      ex.collect.push(n === data.length ? data : data.subarray(0, n));
      ex.resLeft -= n;
      if (ex.resLeft === 0) finishCollected(ex, n === data.length);
      return;
    }
    if (ex.decode) {
      let end: number;
      try {
        end = ex.resChunk!.feed(data, 0, (d) => {
          if (ex.zip) ex.zip.write(d);
          else {
            ex.bytesOut += d.length;
            sendClient(ex.c, Buffer.from(d));
          }
        });
      } catch {
        badUpstream(ex, "invalid chunked body");
        return;
      }
      if (end >= 0) upstreamDone(ex, end === data.length);
      return;
    }
    if (ex.zip) {
      // close-delimited or large length-delimited body through the streaming compressor
      const n = passBodyLength(ex, data);
      ex.zip.write(n === data.length ? data : data.subarray(0, n));
      afterBody(ex, n, data.length);
      return;
    }
    let n: number;
    try {
      n = passBodyLength(ex, data);
    } catch {
      badUpstream(ex, "invalid chunked body");
      return;
    }
    ex.bytesOut += n;
    sendClient(ex.c, n === data.length ? data : data.subarray(0, n));
    afterBody(ex, n, data.length);
  }

  function finishCollected(ex: Exchange, exact: boolean): void {
    const body = Buffer.concat(ex.collect!);
    ex.collect = null;
    const out = compressBuffer(body, ex.encoding!, core.cfg);
    let h = ex.collectTail;
    const keep = keepClient(ex);
    if (ex.head.minor === 0 && keep) h += `Connection: keep-alive${CRLF}`;
    if (!keep) {
      h += `Connection: close${CRLF}`;
      ex.c.closeAfter = true;
    }
    h += `Content-Length: ${out.length}${CRLF}`;
    ex.resStarted = true;
    ex.bytesOut += out.length;
    const res = ex.res!;
    sendResponseHead(ex, res, res.forwardWithoutEntity(), h, out, 0, out.length);
    upstreamDone(ex, exact);
  }

  /** The upstream's part is over: recycle its socket, then finish the client side. */
  function upstreamDone(ex: Exchange, clean: boolean): void {
    const conn = ex.conn;
    const up = ex.up;
    // Stamped when the upstream's last bytes arrived: close enough, and no clock read.
    const now = ex.lastUp;
    ex.conn = null;
    if (up) {
      up.active--;
      up.onResponse(ex.status, performance.now() - ex.t0, now);
    }
    if (conn) {
      if (clean && ex.bodyDone && ex.res?.keepAlive && !conn.out && ex.framing.kind !== "close")
        pool.release(conn, now);
      else pool.destroy(conn);
    }
    if (ex.zip) {
      const zip = ex.zip;
      zip.end(() => finishExchange(ex));
      return;
    }
    finishExchange(ex);
  }

  function onUpstreamClose(conn: Conn): void {
    const ex = conn.ex;
    if (conn.tunnel) {
      const c = conn.tunnel;
      conn.tunnel = null;
      c.tunnel = null;
      endClient(c);
      return;
    }
    if (!ex) return;
    if (ex.res && ex.framing.kind === "close") {
      conn.ex = null;
      ex.conn = null;
      upstreamDone(ex, false);
      return;
    }
    if (ex.res) {
      badUpstream(ex, "connection closed mid-response");
      return;
    }
    upstreamFailed(ex, conn.sock ? "reset" : "connect");
  }

  // ---------- WebSocket / upgrade tunnels ----------

  function startTunnel(ex: Exchange, conn: Conn, res: ResponseHead, rest: Buffer | null): void {
    const c = ex.c;
    if (!ex.head.upgrade) {
      badUpstream(ex, "101 without an upgrade request");
      return;
    }
    let tail = "";
    if (res.upgrade) tail += `Upgrade: ${res.upgrade}${CRLF}`;
    tail += `Connection: Upgrade${CRLF}${CRLF}`;
    ex.resStarted = true;
    if (ex.up) ex.up.active--;
    ex.conn = null;
    conn.ex = null;
    conn.tunnel = c;
    c.tunnel = conn;
    // The switch itself: the upstream's lines, no body framing, no headers of the proxy's own.
    const out = outBuffer(64 + rangesLength(res.forward) + tail.length + (rest ? rest.length : 0));
    let n = out.latin1Write(`HTTP/1.1 101 Switching Protocols${CRLF}`, 0);
    n = copyRanges(res.buf, res.forward, out, n);
    n += out.latin1Write(tail, n);
    if (rest) n += rest.copy(out, n);
    sendClientAssembled(c, out, n);
    ex.done = true;
    c.ex = null;
    core.metrics.request(ex.upstreamName, 101, (performance.now() - ex.t0) / 1000);
    if (c.buf) {
      sendUp(conn, c.buf);
      c.buf = null;
    }
  }

  // ---------- static files ----------

  function serveStatic(ex: Exchange): void {
    ex.upstreamName = "static";
    const m = ex.head.method;
    if (m !== "GET" && m !== "HEAD") {
      problem(ex, 405, "method-not-allowed", "Static files are read-only.", [["Allow", "GET, HEAD"]]);
      return;
    }
    const enc = core.cfg.compression.enabled ? pickAccept(ex) : null;
    const r = core.statics.serve(ex.head.path, (n) => ex.head.field(n), enc);
    if (r instanceof Promise)
      r.then(
        (rep) => writeStatic(ex, rep),
        () => problem(ex, 404, "not-found", "No such file."),
      );
    else writeStatic(ex, r);
  }

  function pickAccept(ex: Exchange): "br" | "gzip" | null {
    const ae = ex.head.field("accept-encoding");
    if (!ae) return null;
    const set = acceptedEncodings(ae);
    return set.has("br") ? "br" : set.has("gzip") ? "gzip" : null;
  }

  function writeStatic(ex: Exchange, r: StaticReply): void {
    if (ex.done || ex.c.closed) return;
    if (r.status === 404) {
      problem(ex, 404, "not-found", "No such file.");
      return;
    }
    if (!r.file) {
      respondLocal(ex, r.status, r.headers, r.body ?? new Uint8Array(0), r.lines);
      return;
    }
    const { path, start, end } = r.file;
    const length = end - start + 1;
    const keep = keepClient(ex);
    if (!keep) ex.c.closeAfter = true;
    const head = `${headText(r.status, r.headers, ex.c.secure, keep)}X-Request-Id: ${reqId(ex)}${CRLF}Content-Length: ${length}${CRLF}${CRLF}`;
    ex.status = r.status;
    ex.resStarted = true;
    sendClient(ex.c, head);
    if (ex.head.method === "HEAD") {
      finishExchange(ex);
      return;
    }
    void streamFile(ex, path, start, end + 1);
  }

  async function streamFile(ex: Exchange, path: string, start: number, end: number): Promise<void> {
    const c = ex.c;
    try {
      const reader = Bun.file(path).slice(start, end).stream().getReader();
      for (;;) {
        if (c.closed) {
          await reader.cancel();
          return;
        }
        if (c.out) {
          await waitDrain(c);
          continue;
        }
        const { done, value } = await reader.read();
        if (done) break;
        ex.bytesOut += value.length;
        sendClient(c, Buffer.from(value.buffer, value.byteOffset, value.length));
      }
      finishExchange(ex);
    } catch (err) {
      core.logger.warn("static stream failed", { path, err });
      ex.done = true;
      c.sock.terminate();
    }
  }

  const drainWaiters = new Map<Client, (() => void)[]>();
  function waitDrain(c: Client): Promise<void> {
    return new Promise((resolve) => {
      const list = drainWaiters.get(c) ?? [];
      list.push(resolve);
      drainWaiters.set(c, list);
    });
  }

  // ---------- socket handlers ----------

  const upstreamHandlers: SocketHandler<Conn> = {
    open(sock) {
      const conn = sock.data;
      pool.connecting.delete(conn);
      conn.sock = sock;
      if (conn.abandoned) {
        pool.destroy(conn);
        return;
      }
      const ex = conn.ex;
      if (ex) sendRequest(ex, conn, Date.now());
      else pool.release(conn, Date.now());
    },
    data(sock, data) {
      onUpstreamData(sock.data, data);
    },
    drain(sock) {
      const conn = sock.data;
      if (conn.out && flushQueue(sock, conn.out)) {
        conn.out = null;
        const c = conn.ex?.c ?? conn.tunnel;
        c?.sock.resume();
      }
    },
    close(sock) {
      const conn = sock.data;
      if (!pool.markClosed(conn)) return;
      onUpstreamClose(conn);
    },
    connectError(sock) {
      const conn = sock.data;
      if (!pool.markClosed(conn)) return;
      if (conn.abandoned) return;
      const ex = conn.ex;
      conn.ex = null;
      if (ex && ex.conn === conn) upstreamFailed(ex, "connect");
    },
    error() {
      // close follows
    },
  };

  const pool = new UpstreamPool<Exchange, Client>(upstreamHandlers, core.cfg);
  core.idleSockets = (u) => pool.idleCount(u);
  core.onUpstreamRemoved = (u) => pool.closeIdle(u);
  core.onReload = (cfg) => pool.reconfigure(cfg);

  function clientHandlers(secure: boolean, redirect: boolean): SocketHandler<Client> {
    return {
      open(sock) {
        const ip = sock.remoteAddress;
        const own = `X-Real-IP: ${ip}${CRLF}X-Forwarded-Proto: ${secure ? "https" : "http"}${CRLF}X-Forwarded-Host: `;
        const c: Client = {
          sock,
          ip,
          secure,
          buf: null,
          headStart: 0,
          ex: null,
          out: null,
          closeAfter: false,
          lastActive: clock,
          closed: false,
          tunnel: null,
          redirect,
          forwarded: Buffer.from(own, "latin1"),
          forwardedFor: Buffer.from(`X-Forwarded-For: ${ip}${CRLF}${own}`, "latin1"),
        };
        sock.data = c;
        clients.add(c);
        core.metrics.clientConnections++;
        const n = (perIp.get(ip) ?? 0) + 1;
        perIp.set(ip, n);
        const cap = core.cfg.limits.maxConnsPerIp;
        if (cap > 0 && n > cap) {
          const body = JSON.stringify(
            problemBody(429, "too-many-connections", "Too many connections from your address."),
          );
          sendClient(
            c,
            `${headText(
              429,
              [
                ["Content-Type", "application/problem+json"],
                ["Retry-After", "1"],
              ],
              secure,
              false,
            )}Content-Length: ${Buffer.byteLength(body)}${CRLF}${CRLF}${body}`,
          );
          c.closeAfter = true;
          core.metrics.rateLimited.inc({ zone: "connections" });
          endClient(c);
        }
      },
      data(sock, data) {
        const c = sock.data;
        c.lastActive = clock;
        if (c.tunnel) {
          sendUp(c.tunnel, data);
          return;
        }
        if (c.closeAfter && !c.ex) return;
        const ex = c.ex;
        if (ex && !ex.bodyDone) {
          const rest = feedBody(ex, data);
          if (rest) c.buf = c.buf ? Buffer.concat([c.buf, rest]) : rest;
        } else c.buf = c.buf ? Buffer.concat([c.buf, data]) : data;
        if (!c.ex) processBuffered(c);
        else if (c.buf && c.buf.length > 1 << 20) sock.pause(); // a flood of pipelined requests waits its turn
      },
      drain(sock) {
        const c = sock.data;
        if (c.out && flushQueue(sock, c.out)) {
          c.out = null;
          const conn = c.ex?.conn ?? c.tunnel;
          conn?.sock?.resume();
          const waiters = drainWaiters.get(c);
          if (waiters) {
            drainWaiters.delete(c);
            for (const w of waiters) w();
          }
          if (c.closeAfter && !c.ex) sock.end();
        }
      },
      close(sock) {
        const c = sock.data;
        if (!c || c.closed) return;
        c.closed = true;
        clients.delete(c);
        core.metrics.clientConnections--;
        const n = (perIp.get(c.ip) ?? 1) - 1;
        if (n <= 0) perIp.delete(c.ip);
        else perIp.set(c.ip, n);
        const waiters = drainWaiters.get(c);
        if (waiters) {
          drainWaiters.delete(c);
          for (const w of waiters) w();
        }
        const ex = c.ex;
        if (ex && !ex.done) {
          ex.status = ex.status || 499; // client closed first (nginx's convention)
          dropUpstream(ex);
          ex.zip?.destroy();
          finishExchange(ex);
        }
        if (c.tunnel) {
          const conn = c.tunnel;
          c.tunnel = null;
          conn.tunnel = null;
          pool.destroy(conn);
        }
        if (draining && clients.size === 0) drainResolve?.();
      },
      error() {
        // close follows
      },
    };
  }

  // ---------- timers: upstream timeouts, connect timeouts, idle clients, pool ----------

  const sweeper = setInterval(() => {
    const now = Date.now();
    clock = now;
    const { responseMs, connectMs, clientIdleMs, headerMs } = core.cfg.timeouts;
    // Requests waiting on an upstream: each belongs to its client's `ex`.
    for (const c of clients) {
      const ex = c.ex;
      if (!ex || ex.done) continue;
      const conn = ex.conn;
      if (conn && !conn.sock && now - conn.openedAt > connectMs) {
        conn.abandoned = true;
        pool.markClosed(conn);
        conn.ex = null;
        ex.conn = null;
        upstreamFailed(ex, "connect");
      } else if (conn?.sock && !conn.out && now - ex.lastUp > responseMs) {
        upstreamFailed(ex, "timeout");
      }
    }
    for (const c of clients) {
      if (c.ex || c.tunnel) continue;
      if (c.headStart && now - c.headStart > headerMs) {
        rejectHead(c, 408, "The request head did not arrive in time.");
      } else if (now - c.lastActive > clientIdleMs) c.sock.end();
    }
    pool.sweep(now);
  }, 100);
  sweeper.unref();

  return {
    pool,
    listen(port, host, tls, redirectTo) {
      const redirect = redirectTo !== undefined;
      if (redirect) redirectPort = redirectTo;
      const socket = clientHandlers(!!tls, redirect);
      const l = tls
        ? Bun.listen<Client>({ hostname: host, port, tls: { cert: tls.cert, key: tls.key }, socket })
        : Bun.listen<Client>({ hostname: host, port, socket });
      listeners.push(l);
      return l;
    },
    connections: () => clients.size,
    async drain(timeoutMs) {
      draining = true;
      for (const l of listeners) l.stop(false);
      for (const c of clients) if (!c.ex && !c.tunnel) endClient(c);
      if (clients.size > 0)
        await new Promise<void>((resolve) => {
          drainResolve = resolve;
          const t = setTimeout(resolve, timeoutMs);
          t.unref();
        });
      for (const c of clients) c.sock.terminate();
      clearInterval(sweeper);
      pool.closeIdle();
    },
  };
}

/** Parses Accept-Encoding into the set of codings with q > 0. */
export function acceptedEncodings(value: string): Set<string> {
  const out = new Set<string>();
  for (const part of value.split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (!coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && Number(q.slice(2)) === 0) continue;
    out.add(coding.trim());
  }
  return out;
}
