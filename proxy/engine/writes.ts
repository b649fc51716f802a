import type { Socket } from "bun";
import { reasons } from "../headers.ts";
import { F_REQUEST_ID } from "../http1.ts";
import { type Client, type Conn, CRLF, type EngineState, type Exchange } from "./state.ts";

/** Writes and queues: every byte to a client or an upstream goes through here, with backpressure. */

const statusLines = new Map<number, string>();
/** `HTTP/1.1 <status> <reason>` with its CRLF, made once per status. */
export function statusLineText(status: number): string {
  let line = statusLines.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${reasons[status] ?? "Status"}${CRLF}`;
    statusLines.set(status, line);
  }
  return line;
}

/** Writes a non-negative integer in decimal at `out[at]`; returns the digits written. */
export function writeDecimal(value: number, out: Buffer, at: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = digits - 1; i >= 0; i--) {
    out[at + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return digits;
}

/** A buffer to assemble up to `bound` bytes in: the shared scratch buffer when they fit. */
export function outBuffer(st: EngineState, bound: number): Buffer {
  return bound <= st.scratch.length ? st.scratch : Buffer.allocUnsafe(bound);
}

/** Bytes of `out` that must outlive this call (scratch is reused by the next write). */
function ownBytes(st: EngineState, out: Buffer, from: number, to: number): Buffer {
  return out === st.scratch ? Buffer.from(out.subarray(from, to)) : out.subarray(from, to);
}

/**
 * Writes `out[0, len)` on `sock`, or queues it behind bytes already waiting.
 * True when this write came up short and started the queue: the caller then
 * pauses the other side until `drain` empties it. No copy when the socket
 * takes everything.
 */
function writeOrQueue(
  st: EngineState,
  side: Client | Conn,
  sock: Socket<Client> | Socket<Conn>,
  out: Buffer,
  len: number,
): boolean {
  if (side.out) {
    side.out.push(ownBytes(st, out, 0, len));
    return false;
  }
  const n = Math.max(0, sock.write(out, 0, len));
  if (n >= len) return false;
  side.out = [ownBytes(st, out, n, len)];
  return true;
}

/** Writes `out[0, len)` to a client; a short write pauses its upstream (or tunnel). */
export function sendClientAssembled(st: EngineState, c: Client, out: Buffer, len: number): void {
  if (c.closed) return;
  if (writeOrQueue(st, c, c.sock, out, len)) (c.ex?.conn ?? c.tunnel)?.sock?.pause();
}

/** Writes `out[0, len)` to an upstream; a short write pauses its client. */
export function sendUpAssembled(st: EngineState, conn: Conn, out: Buffer, len: number): void {
  if (conn.closed || !conn.sock) return;
  if (writeOrQueue(st, conn, conn.sock, out, len)) (conn.ex?.c ?? conn.tunnel)?.sock.pause();
}

/** The security headers and `X-Request-Id: `, encoded once per configuration. */
export function securityBlock(st: EngineState, secure: boolean): Buffer {
  if (st.securityFor !== st.core.headers) {
    st.securityFor = st.core.headers;
    st.securityHttp = Buffer.from(`${st.core.headers.http}X-Request-Id: `, "latin1");
    st.securityHttps = Buffer.from(`${st.core.headers.https}X-Request-Id: `, "latin1");
  }
  return secure ? st.securityHttps : st.securityHttp;
}

/** Writes to a client; on a short write the rest is queued and the upstream paused. */
export function sendClient(st: EngineState, c: Client, data: Buffer | string): void {
  const buf = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  sendClientAssembled(st, c, buf, buf.length);
}

/** Writes to an upstream; on a short write the rest is queued and the client paused. */
export function sendUp(st: EngineState, conn: Conn, buf: Buffer): void {
  sendUpAssembled(st, conn, buf, buf.length);
}

/** Writes queued bytes after a `drain`; true when the queue is empty. */
export function flushQueue(sock: Socket<Client> | Socket<Conn>, q: Buffer[]): boolean {
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

/** Ends a client connection once its queued bytes are written. */
export function endClient(c: Client): void {
  if (c.closed) return;
  if (c.out) {
    c.closeAfter = true;
    return;
  }
  c.sock.end();
}

/** The request id as text (for logs and responses the proxy makes itself). */
export function reqId(st: EngineState, ex: Exchange): string {
  if (ex.idSeq >= 0) return st.ids.text(ex.idSeq);
  const h = ex.head;
  return h.buf.latin1Slice(h.fieldFrom(F_REQUEST_ID), h.fieldTo(F_REQUEST_ID));
}

/** Writes the request id into an outgoing head without making a string. */
export function writeRequestId(st: EngineState, ex: Exchange, out: Buffer, at: number): number {
  if (ex.idSeq >= 0) return st.ids.write(ex.idSeq, out, at);
  const h = ex.head;
  return h.buf.copy(out, at, h.fieldFrom(F_REQUEST_ID), h.fieldTo(F_REQUEST_ID));
}
