import type { SocketHandler } from "bun";
import { Compressor, compressBuffer, pickEncoding } from "../compress.ts";
import { reasons } from "../headers.ts";
import {
  ChunkedParser,
  copyRanges,
  copyStartAndRanges,
  headEnd,
  parseResponseHead,
  type ResponseHead,
  rangesLength,
  responseFraming,
} from "../http1.ts";
import { keepClient } from "./exchange.ts";
import { type Conn, CRLF, CRLF_CRLF, type EngineState, type Exchange } from "./state.ts";
import { startTunnel } from "./tunnel.ts";
import { badUpstream, onUpstreamClose, sendRequest, upstreamDone, upstreamFailed } from "./upstream.ts";
import {
  flushQueue,
  outBuffer,
  securityBlock,
  sendClient,
  sendClientAssembled,
  writeRequestId,
} from "./writes.ts";

/**
 * The response: the upstream's head rewritten for the client, then its body
 * passed through, de-chunked, compressed as it streams, or collected and
 * compressed in one go.
 */

/** Bytes from an upstream: the response head (parsed once complete), then body bytes. */
function onUpstreamData(st: EngineState, conn: Conn, data: Buffer): void {
  const ex = conn.ex;
  if (!ex) {
    if (conn.tunnel) sendClient(st, conn.tunnel, data);
    else st.pool.destroy(conn); // bytes on an idle socket: the stream is out of step
    return;
  }
  ex.lastUp = st.clock;
  if (!ex.res) {
    const buf = ex.resBuf ? Buffer.concat([ex.resBuf, data]) : data;
    const end = headEnd(buf);
    if (end < 0 || end > 64 * 1024) {
      if (end > 0 || buf.length > 64 * 1024) badUpstream(st, ex, "response head too large");
      else ex.resBuf = buf;
      return;
    }
    ex.resBuf = null;
    let res: ResponseHead;
    try {
      res = parseResponseHead(buf, end);
      ex.framing = responseFraming(res, ex.head.method);
    } catch (err) {
      badUpstream(st, ex, err instanceof Error ? err.message : "bad response");
      return;
    }
    if (res.status >= 100 && res.status < 200 && res.status !== 101) {
      // Interim responses (100 was answered by the proxy itself) are dropped.
      if (end < buf.length) onUpstreamData(st, conn, buf.subarray(end));
      return;
    }
    ex.res = res;
    ex.status = res.status;
    if (res.status === 101) {
      startTunnel(st, ex, conn, res, end < buf.length ? buf.subarray(end) : null);
      return;
    }
    startResponse(st, ex, res, buf, end);
    return;
  }
  onResponseBody(st, ex, data);
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
function startResponse(st: EngineState, ex: Exchange, res: ResponseHead, buf: Buffer, from: number): void {
  const c = ex.c;
  const f = ex.framing;
  const http10 = ex.head.minor === 0;
  // An empty body (a 303 with Content-Length: 0, say) is complete with the head.
  const empty = f.kind === "length" && f.length === 0;
  const enc =
    st.core.cfg.compression.enabled && !empty
      ? pickEncoding(ex.head.field("accept-encoding"), ex.head.method, res, f, st.core.cfg)
      : null;
  ex.encoding = enc;
  let keep = keepClient(st, ex) && f.kind !== "close";
  if (f.kind === "chunked") {
    ex.resChunk = new ChunkedParser(64 * 1024);
    ex.decode = http10 || enc !== null;
  }
  if (f.kind === "length") ex.resLeft = f.length;
  let h = enc ? compressedTail(ex, res) : "";
  const ranges = enc ? res.forwardWithoutEntity() : res.forward;
  const restLen = buf.length - from;

  if (enc && f.kind === "length" && f.length <= st.core.cfg.compression.bufferMaxBytes) {
    // Known, modest size: collect, compress in one call, send with a Content-Length.
    ex.collect = [];
    ex.collectTail = h;
    if (restLen > 0) onResponseBody(st, ex, from === 0 ? buf : buf.subarray(from));
    return;
  }
  if (enc) {
    if (http10) keep = false;
    else h += `Transfer-Encoding: chunked${CRLF}`;
    ex.zip = new Compressor(enc, st.core.cfg, http10 ? "raw" : "chunked", (b) => {
      ex.bytesOut += b.length;
      sendClient(st, c, b);
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
  if (f.kind === "none" || empty) {
    sendResponseHead(st, ex, res, ranges, h, null);
    upstreamDone(st, ex, restLen === 0);
    return;
  }
  if (restLen > 0 && f.kind === "length" && !ex.zip && restLen <= 32 * 1024) {
    // Head and first body bytes in one write: one syscall for most responses.
    const n = Math.min(ex.resLeft, restLen);
    sendResponseHead(st, ex, res, ranges, h, buf, from, from + n);
    ex.bytesOut += n;
    afterBody(st, ex, n, restLen);
    return;
  }
  if (restLen > 0 && !ex.decode && !ex.zip && restLen <= 32 * 1024) {
    const body = from === 0 ? buf : buf.subarray(from);
    const n = passBodyLength(ex, body);
    sendResponseHead(st, ex, res, ranges, h, body, 0, n);
    ex.bytesOut += n;
    afterBody(st, ex, n, restLen);
    return;
  }
  sendResponseHead(st, ex, res, ranges, h, null);
  if (restLen > 0) onResponseBody(st, ex, from === 0 ? buf : buf.subarray(from));
}

/**
 * Writes a client response head into `out`: the status line (the upstream's own
 * when it is HTTP/1.1 with a reason phrase), the upstream's lines in `ranges`
 * copied from the received bytes, `tail`, the security headers and the request
 * id. Pieces are written one after another: no string is concatenated.
 */
function writeResponseHead(
  st: EngineState,
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
  n += securityBlock(st, ex.c.secure).copy(out, n);
  n += writeRequestId(st, ex, out, n);
  if (ex.extra) {
    n += out.latin1Write(CRLF, n);
    n += out.latin1Write(ex.extra, n);
    n += out.latin1Write(CRLF, n);
  } else n += out.latin1Write(CRLF_CRLF, n);
  return n;
}

/** Sends a response head (see `writeResponseHead`) and `body[from, to)` in one write. */
function sendResponseHead(
  st: EngineState,
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
    securityBlock(st, ex.c.secure).length +
    ex.extra.length +
    ex.head.end +
    64;
  const out = outBuffer(st, bound + bodyLen);
  let n = writeResponseHead(st, ex, res, ranges, tail, out);
  if (body && bodyLen > 0) {
    if (body instanceof Buffer) body.copy(out, n, from, to);
    else out.set(from === 0 && to === body.length ? body : body.subarray(from, to), n);
    n += bodyLen;
  }
  sendClientAssembled(st, ex.c, out, n);
}

/** How many of these bytes belong to the body (pass-through framing). */
function passBodyLength(ex: Exchange, data: Buffer): number {
  const f = ex.framing;
  if (f.kind === "length") return Math.min(ex.resLeft, data.length);
  if (f.kind === "close") return data.length;
  const end = ex.resChunk!.feed(data, 0);
  return end < 0 ? data.length : end;
}

/** Counts `used` body bytes; the end of the body finishes the upstream's part. */
function afterBody(st: EngineState, ex: Exchange, used: number, total: number): void {
  const f = ex.framing;
  if (f.kind === "length") {
    ex.resLeft -= used;
    if (ex.resLeft === 0) upstreamDone(st, ex, used === total);
  } else if (f.kind === "chunked" && ex.resChunk!.done) upstreamDone(st, ex, used === total);
}

/** Response-body bytes: collected, decoded, compressed or passed through. */
function onResponseBody(st: EngineState, ex: Exchange, data: Buffer): void {
  if (ex.collect) {
    const n = Math.min(ex.resLeft, data.length);
    ex.collect.push(n === data.length ? data : data.subarray(0, n));
    ex.resLeft -= n;
    if (ex.resLeft === 0) finishCollected(st, ex, n === data.length);
    return;
  }
  if (ex.decode) {
    let end: number;
    try {
      end = ex.resChunk!.feed(data, 0, (d) => {
        if (ex.zip) ex.zip.write(d);
        else {
          ex.bytesOut += d.length;
          sendClient(st, ex.c, Buffer.from(d));
        }
      });
    } catch {
      badUpstream(st, ex, "invalid chunked body");
      return;
    }
    if (end >= 0) upstreamDone(st, ex, end === data.length);
    return;
  }
  if (ex.zip) {
    // close-delimited or large length-delimited body through the streaming compressor
    const n = passBodyLength(ex, data);
    ex.zip.write(n === data.length ? data : data.subarray(0, n));
    afterBody(st, ex, n, data.length);
    return;
  }
  let n: number;
  try {
    n = passBodyLength(ex, data);
  } catch {
    badUpstream(st, ex, "invalid chunked body");
    return;
  }
  ex.bytesOut += n;
  sendClient(st, ex.c, n === data.length ? data : data.subarray(0, n));
  afterBody(st, ex, n, data.length);
}

/** Compresses a collected body in one call and sends it with a Content-Length. */
function finishCollected(st: EngineState, ex: Exchange, exact: boolean): void {
  const body = Buffer.concat(ex.collect!);
  ex.collect = null;
  const out = compressBuffer(body, ex.encoding!, st.core.cfg);
  let h = ex.collectTail;
  const keep = keepClient(st, ex);
  if (ex.head.minor === 0 && keep) h += `Connection: keep-alive${CRLF}`;
  if (!keep) {
    h += `Connection: close${CRLF}`;
    ex.c.closeAfter = true;
  }
  h += `Content-Length: ${out.length}${CRLF}`;
  ex.resStarted = true;
  ex.bytesOut += out.length;
  const res = ex.res!;
  sendResponseHead(st, ex, res, res.forwardWithoutEntity(), h, out, 0, out.length);
  upstreamDone(st, ex, exact);
}

/** Socket handlers of the upstream pool (made once per engine). */
export function upstreamHandlers(st: EngineState): SocketHandler<Conn> {
  return {
    open(sock) {
      const conn = sock.data;
      st.pool.connecting.delete(conn);
      conn.sock = sock;
      if (conn.abandoned) {
        st.pool.destroy(conn);
        return;
      }
      const ex = conn.ex;
      if (ex) sendRequest(st, ex, conn, Date.now());
      else st.pool.release(conn, Date.now());
    },
    data(sock, data) {
      onUpstreamData(st, sock.data, data);
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
      if (!st.pool.markClosed(conn)) return;
      onUpstreamClose(st, conn);
    },
    connectError(sock) {
      const conn = sock.data;
      if (!st.pool.markClosed(conn)) return;
      if (conn.abandoned) return;
      const ex = conn.ex;
      conn.ex = null;
      if (ex && ex.conn === conn) upstreamFailed(st, ex, "connect");
    },
    error() {
      // close follows
    },
  };
}
