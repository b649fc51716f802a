import { parseProxyHeader } from "../proxy-protocol.ts";
import { tooManyConnections } from "./local.ts";
import { ADDRESS_KNOWN, AWAIT_PROXY_HEADER, type Client, CRLF, type EngineState } from "./state.ts";

/**
 * The client's address on a connection: the socket peer's, or the one a
 * PROXY protocol header names (on a listener that expects one, from a
 * trusted peer only), or the one the HTTPS port's PROXY front relayed. Once
 * known it is what the per-IP connection cap counts, what X-Real-IP and
 * X-Forwarded-For carry upstream, and what rate limits and the access log see.
 */

/** Sets the client's address, its forwarding lines, and admits it under `PROXY_MAX_CONNS_PER_IP`. */
export function admitClient(st: EngineState, c: Client, ip: string): void {
  c.ip = ip;
  c.pending = ADDRESS_KNOWN;
  // From here the idle and head timeouts apply as on any connection.
  c.headStart = 0;
  c.trusted = st.core.trusted.has(ip);
  const own = `X-Real-IP: ${ip}${CRLF}X-Forwarded-Proto: ${c.secure ? "https" : "http"}${CRLF}X-Forwarded-Host: `;
  c.forwarded = Buffer.from(own, "latin1");
  c.forwardedFor = Buffer.from(`X-Forwarded-For: ${ip}${CRLF}${own}`, "latin1");
  c.counted = true;
  const n = (st.perIp.get(ip) ?? 0) + 1;
  st.perIp.set(ip, n);
  const cap = st.core.cfg.limits.maxConnsPerIp;
  // A trusted load balancer carries many clients on its connections: no cap on it.
  if (cap > 0 && n > cap && !c.trusted) tooManyConnections(st, c);
}

/** Takes a closed client out of the per-IP count. */
export function releaseClient(st: EngineState, c: Client): void {
  if (!c.counted) return;
  c.counted = false;
  const n = (st.perIp.get(c.ip) ?? 1) - 1;
  if (n <= 0) st.perIp.delete(c.ip);
  else st.perIp.set(c.ip, n);
}

/**
 * A new connection whose address is not known yet (`c.pending` set). On a
 * PROXY protocol listener only trusted peers may speak at all: anyone else is
 * cut off before a byte is read, so a forged header is never even parsed. A
 * relayed connection is looked up by its port (or at its first bytes, when the
 * relay has not registered it yet).
 */
export function openPending(st: EngineState, c: Client): void {
  c.headStart = st.clock || Date.now();
  if (c.pending === AWAIT_PROXY_HEADER) {
    if (!st.core.trusted.has(c.ip)) {
      st.core.logger.debug("PROXY protocol listener: peer not trusted, connection closed", { peer: c.ip });
      refuse(st, c, "untrusted");
    }
    return;
  }
  const peer = st.relayed.get(c.sock.remotePort);
  if (peer) admitClient(st, c, peer.ip);
}

/**
 * Bytes on a connection whose address is pending. Returns true when the
 * address is now known and the connection goes on (bytes for the HTTP parser,
 * if any, are in `c.buf`; for a relayed connection `data` is still the caller's).
 */
export function resolvePending(st: EngineState, c: Client, data: Buffer): boolean {
  if (c.pending !== AWAIT_PROXY_HEADER) {
    const peer = st.relayed.get(c.sock.remotePort);
    // Not from the relay: someone dialled the internal TLS port directly.
    if (!peer) {
      refuse(st, c, "not-relayed");
      return false;
    }
    admitClient(st, c, peer.ip);
    return !c.closeAfter;
  }
  const buf = c.buf ? Buffer.concat([c.buf, data]) : data;
  const r = parseProxyHeader(buf);
  if (r.kind === "incomplete") {
    c.buf = buf;
    return false;
  }
  if (r.kind === "invalid") {
    st.core.logger.warn("bad PROXY protocol header, connection closed", { peer: c.ip, reason: r.reason });
    c.buf = null;
    refuse(st, c, "bad-header");
    return false;
  }
  c.buf = r.length < buf.length ? buf.subarray(r.length) : null;
  admitClient(st, c, r.addresses?.sourceIp ?? c.ip);
  return !c.closeAfter;
}

/** Closes a connection without a word: it has not shown it speaks HTTP to us. */
export function refuse(st: EngineState, c: Client, reason: "untrusted" | "bad-header" | "not-relayed"): void {
  c.closeAfter = true;
  st.core.metrics.proxyProtocolRefused.inc({ reason });
  c.sock.terminate();
}
