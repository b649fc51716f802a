import {
  copyRanges,
  copyStartAndRanges,
  F_FORWARDED_FOR,
  F_TRACEPARENT,
  idempotentMethods,
} from "../http1.ts";
import type { RateDecision } from "../ratelimit.ts";
import { noteAttempt, upstreamTraceparent } from "../trace.ts";
import type { Upstream } from "../upstream.ts";
import { finishExchange, releaseInFlight } from "./exchange.ts";
import { problem } from "./local.ts";
import { type Conn, CRLF, CRLF_CRLF, type EngineState, type Exchange, NONE } from "./state.ts";
import { endClient, outBuffer, sendUp, sendUpAssembled, writeRequestId } from "./writes.ts";

/**
 * The upstream exchange: choosing an upstream, writing the request to it,
 * retries, failures and the return of its socket to the pool.
 */

/** Applies a rate-limit decision: RateLimit-* headers, then 429 or on to an upstream. */
export function gate(st: EngineState, ex: Exchange, d: RateDecision): void {
  if (ex.done || ex.c.closed) return;
  ex.extra = `RateLimit-Limit: ${d.limit}${CRLF}RateLimit-Remaining: ${d.remaining}${CRLF}RateLimit-Reset: ${d.resetS}${CRLF}`;
  if (d.allowed) {
    dispatch(st, ex, undefined);
    return;
  }
  problem(st, ex, 429, "rate-limited", "Too many requests; slow down.", [
    ["Retry-After", String(d.retryAfterS)],
  ]);
}

/** Picks an upstream (not `exclude`) and sends the request on a pooled or new socket. */
export function dispatch(st: EngineState, ex: Exchange, exclude: Upstream | undefined): void {
  if (ex.done || ex.c.closed) return;
  const now = st.clock;
  const up = st.core.pick(now, exclude);
  if (!up) {
    problem(st, ex, 502, "bad-gateway", "No healthy upstream is available.");
    return;
  }
  ex.attempts++;
  if (st.core.tracer !== null) noteAttempt(ex, up.id, ex.attempts);
  ex.up = up;
  ex.upstreamName = up.id;
  up.active++;
  ex.lastUp = now;
  const conn = st.pool.acquire(up, ex, now);
  ex.conn = conn;
  if (conn.sock) sendRequest(st, ex, conn, now);
}

/**
 * Writes the upstream request head into `out`: the request line and header
 * lines copied from the received bytes, then the forwarding headers, one
 * framing and the upgrade pair, piece by piece (no string is concatenated).
 */
function writeUpstreamHead(st: EngineState, ex: Exchange, out: Buffer): number {
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
  if (ex.chain !== null) {
    // Behind a trusted proxy: the list up to the client, so the app's last entry is the client.
    n += out.latin1Write(
      `X-Forwarded-For: ${ex.chain}${CRLF}X-Real-IP: ${ex.clientIp}${CRLF}X-Forwarded-Proto: ${c.secure ? "https" : "http"}${CRLF}X-Forwarded-Host: `,
      n,
    );
  } else if (xff >= 0) {
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
  n += writeRequestId(st, ex, out, n);
  const traceparent = st.core.tracer === null ? undefined : upstreamTraceparent(ex);
  if (traceparent !== undefined) {
    n += out.latin1Write("\r\ntraceparent: ", n);
    n += out.latin1Write(traceparent, n);
  } else {
    // Tracing off: the client's trace context goes on unchanged.
    const tp = head.fieldFrom(F_TRACEPARENT);
    if (tp >= 0) {
      n += out.latin1Write("\r\ntraceparent: ", n);
      n += buf.copy(out, n, tp, head.fieldTo(F_TRACEPARENT));
    }
  }
  const fr = head.framing;
  if (head.hostFrom >= 0 && fr.kind === "none" && !head.upgrade) {
    n += out.latin1Write(CRLF_CRLF, n);
    return n;
  }
  n += out.latin1Write(CRLF, n);
  // HTTP/1.0 st.clients may omit Host, but the upstream leg is HTTP/1.1, which requires one.
  if (head.hostFrom < 0) n += out.latin1Write(`Host: localhost${CRLF}`, n);
  if (fr.kind === "length") n += out.latin1Write(`Content-Length: ${fr.length}${CRLF}`, n);
  else if (fr.kind === "chunked") n += out.latin1Write(`Transfer-Encoding: chunked${CRLF}`, n);
  if (head.upgrade)
    n += out.latin1Write(`Connection: Upgrade${CRLF}Upgrade: ${head.field("upgrade")}${CRLF}`, n);
  n += out.latin1Write(CRLF, n);
  return n;
}

/**
 * The upstream head plus whatever body bytes are already here, in one write.
 * Rebuilt from the received head on a retry, so nothing is kept per request.
 */
export function sendRequest(st: EngineState, ex: Exchange, conn: Conn, now: number): void {
  const head = ex.head;
  const pending = ex.pending;
  ex.pending = NONE;
  ex.sentAny = true;
  ex.lastUp = now;
  const body = pending.length === 0 ? null : pending.length === 1 ? pending[0]! : Buffer.concat(pending);
  const bound = 2 * head.end + 512 + ex.c.forwardedFor.length + (head.forwardedForJoined?.length ?? 0);
  const out = outBuffer(st, bound + (body ? body.length : 0));
  let n = writeUpstreamHead(st, ex, out);
  if (body) n += body.copy(out, n);
  sendUpAssembled(st, conn, out, n);
  if (pending !== NONE) for (const p of pending) retain(st, ex, p);
}

/** Request-body bytes to the upstream, or kept until its socket is open. */
export function forwardBody(st: EngineState, ex: Exchange, piece: Buffer): void {
  const conn = ex.conn;
  if (conn?.sock && !ex.pending.length) {
    sendUp(st, conn, piece);
    retain(st, ex, piece);
    // A slow upload is activity too: the response timer runs from the last byte either way.
    ex.lastUp = st.clock;
  } else if (ex.pending === NONE) ex.pending = [piece];
  else ex.pending.push(piece);
}

/** Keeps a body piece for a replay on another upstream (up to the retry buffer size). */
function retain(st: EngineState, ex: Exchange, piece: Buffer): void {
  if (!ex.retained) return;
  ex.retainedBytes += piece.length;
  if (ex.retainedBytes > st.core.cfg.retryBufferBytes) ex.retained = null;
  else if (ex.retained === NONE) ex.retained = [piece];
  else ex.retained.push(piece);
}

/** Gives up the exchange's upstream socket (the request will not complete). */
export function dropUpstream(st: EngineState, ex: Exchange): void {
  const conn = ex.conn;
  if (!conn) return;
  ex.conn = null;
  if (ex.up) ex.up.active--;
  st.pool.destroy(conn);
}

/** Connect error, lost connection before a response, or timeout. */
export function upstreamFailed(st: EngineState, ex: Exchange, kind: "connect" | "reset" | "timeout"): void {
  const conn = ex.conn;
  const up = ex.up;
  if (conn) {
    ex.conn = null;
    conn.ex = null;
    st.pool.destroy(conn);
  }
  if (up) {
    up.active--;
    if (kind !== "timeout") {
      up.onFailure(Date.now());
      st.core.metrics.upstreamFailures.inc({ upstream: up.id, kind });
    }
  }
  if (ex.done || ex.c.closed) return;
  if (ex.resStarted) {
    // Part of the response is already with the client; all we can do is cut it short.
    ex.status = ex.status || 502;
    ex.done = true;
    releaseInFlight(st, ex);
    ex.c.sock.terminate();
    return;
  }
  if (kind === "timeout") {
    problem(st, ex, 504, "gateway-timeout", "The upstream did not answer in time.");
    return;
  }
  const replayable = !ex.sentAny || (idempotentMethods.has(ex.head.method) && ex.retained !== null);
  if (ex.attempts <= st.core.cfg.retries && replayable && !ex.res) {
    st.core.metrics.retries.inc({ upstream: up?.id ?? "" });
    if (ex.sentAny) ex.pending = [...(ex.retained ?? []), ...ex.pending];
    ex.retained = idempotentMethods.has(ex.head.method) ? NONE : null;
    ex.retainedBytes = 0;
    ex.sentAny = false;
    ex.resBuf = null;
    dispatch(st, ex, up ?? undefined);
    return;
  }
  problem(st, ex, 502, "bad-gateway", "The upstream failed before answering.");
}

/** An unusable upstream response: 502, or cut the client short once the response has started. */
export function badUpstream(st: EngineState, ex: Exchange, why: string): void {
  st.core.logger.warn("invalid upstream response", { upstream: ex.upstreamName, why });
  const conn = ex.conn;
  ex.conn = null;
  if (conn) st.pool.destroy(conn);
  if (ex.up) ex.up.active--;
  if (ex.resStarted) {
    ex.done = true;
    releaseInFlight(st, ex);
    ex.c.sock.terminate();
  } else problem(st, ex, 502, "bad-gateway", "The upstream sent an invalid response.");
}

/** The upstream's part is over: recycle its socket, then finish the client side. */
export function upstreamDone(st: EngineState, ex: Exchange, clean: boolean): void {
  const conn = ex.conn;
  const up = ex.up;
  // Stamped when the upstream's last bytes arrived: close enough, and no st.clock read.
  const now = ex.lastUp;
  ex.conn = null;
  if (up) {
    up.active--;
    up.onResponse(ex.status, performance.now() - ex.t0, now);
  }
  if (conn) {
    if (clean && ex.bodyDone && ex.res?.keepAlive && !conn.out && ex.framing.kind !== "close")
      st.pool.release(conn, now);
    else st.pool.destroy(conn);
  }
  if (ex.zip) {
    const zip = ex.zip;
    zip.end(() => finishExchange(st, ex));
    return;
  }
  finishExchange(st, ex);
}

/** An upstream socket closed: the end of a close-delimited body, a tunnel, or a failure. */
export function onUpstreamClose(st: EngineState, conn: Conn): void {
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
    upstreamDone(st, ex, false);
    return;
  }
  if (ex.res) {
    badUpstream(st, ex, "connection closed mid-response");
    return;
  }
  upstreamFailed(st, ex, conn.sock ? "reset" : "connect");
}
