import { copyRanges, type ResponseHead, rangesLength } from "../http1.ts";
import { type Conn, CRLF, type EngineState, type Exchange } from "./state.ts";
import { badUpstream } from "./upstream.ts";
import { outBuffer, sendClientAssembled, sendUp } from "./writes.ts";

/** Tunnels: WebSocket and other `Upgrade` connections after the upstream's 101. */

/**
 * The upstream switched protocols (101): the two sockets are spliced and bytes
 * flow both ways unparsed (WebSocket and other upgrades).
 */
export function startTunnel(
  st: EngineState,
  ex: Exchange,
  conn: Conn,
  res: ResponseHead,
  rest: Buffer | null,
): void {
  const c = ex.c;
  if (!ex.head.upgrade) {
    badUpstream(st, ex, "101 without an upgrade request");
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
  const out = outBuffer(st, 64 + rangesLength(res.forward) + tail.length + (rest ? rest.length : 0));
  let n = out.latin1Write(`HTTP/1.1 101 Switching Protocols${CRLF}`, 0);
  n = copyRanges(res.buf, res.forward, out, n);
  n += out.latin1Write(tail, n);
  if (rest) n += rest.copy(out, n);
  sendClientAssembled(st, c, out, n);
  ex.done = true;
  c.ex = null;
  st.core.metrics.request(ex.upstreamName, 101, (performance.now() - ex.t0) / 1000);
  if (c.buf) {
    sendUp(st, conn, c.buf);
    c.buf = null;
  }
}
