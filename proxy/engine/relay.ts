import type { Socket, SocketHandler } from "bun";
import { parseProxyHeader } from "../proxy-protocol.ts";
import type { EngineState } from "./state.ts";

/**
 * The PROXY protocol in front of the HTTPS listener. The header comes before
 * the TLS handshake, and Bun's TLS listener reads the first bytes itself (a
 * server-side `upgradeTLS` does not exist), so the public HTTPS port is a
 * plain TCP listener that reads the header, then passes the remaining bytes
 * both ways to the real TLS listener on an internal loopback port. The relay
 * registers its outgoing connection's local port with the address the header
 * named; the TLS side looks the address up by its peer's port
 * (`EngineState.relayed`). Only trusted peers get this far.
 */

const HEADER = 0;
const CONNECTING = 1;
const RELAYING = 2;
const CLOSED = 3;

/** One relayed connection: the balancer's side (`front`) and the internal TLS side (`back`). */
interface Relay {
  front: Socket<Relay>;
  back: Socket<Relay> | null;
  phase: number;
  /** the client's address (from the header, or the balancer's own for LOCAL / UNKNOWN) */
  ip: string;
  /** bytes before and just after the header, until `back` is open */
  buf: Buffer | null;
  /** bytes a short write left, per direction (the sending side is paused meanwhile) */
  toBack: Buffer[] | null;
  toFront: Buffer[] | null;
  /** the back side's local port, registered in `st.relayed` */
  key: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/** Writes with backpressure: a short write queues the rest and pauses the sending side. */
function pass(to: Socket<Relay>, from: Socket<Relay>, data: Buffer, queue: Buffer[] | null): Buffer[] | null {
  if (queue) {
    queue.push(data);
    return queue;
  }
  const n = Math.max(0, to.write(data));
  if (n >= data.length) return null;
  from.pause();
  return [data.subarray(n)];
}

/** Flushes a queue after `drain`; null once empty. */
function flush(sock: Socket<Relay>, queue: Buffer[] | null): Buffer[] | null {
  if (!queue) return null;
  while (queue.length) {
    const b = queue[0]!;
    const n = Math.max(0, sock.write(b));
    if (n < b.length) {
      queue[0] = b.subarray(n);
      return queue;
    }
    queue.shift();
  }
  return null;
}

/**
 * One side closed: the other is ended once what is queued for it is written
 * (a response the balancer was slow to take is not cut short).
 */
function closeRelay(st: EngineState, r: Relay): void {
  if (r.phase === CLOSED) return;
  r.phase = CLOSED;
  if (r.timer) clearTimeout(r.timer);
  st.relays.delete(r.front as Socket<unknown>);
  if (r.key >= 0) st.relayed.delete(r.key);
  if (!r.toFront) r.front.end();
  if (r.back && !r.toBack) r.back.end();
}

/** The back side's handlers: the internal TLS listener's bytes go to the balancer. */
function backHandlers(st: EngineState): SocketHandler<Relay> {
  return {
    open(back) {
      const r = back.data;
      r.back = back;
      if (r.phase === CLOSED) {
        back.end();
        return;
      }
      // Registered before a byte is passed on: the TLS side looks it up at its first bytes at the latest.
      r.key = back.localPort;
      st.relayed.set(r.key, { ip: r.ip });
      r.phase = RELAYING;
      const buf = r.buf;
      r.buf = null;
      if (buf) r.toBack = pass(back, r.front, buf, null);
      if (!r.toBack) r.front.resume();
    },
    data(back, data) {
      const r = back.data;
      r.toFront = pass(r.front, back, data, r.toFront);
    },
    drain(back) {
      const r = back.data;
      r.toBack = flush(back, r.toBack);
      if (r.toBack) return;
      if (r.phase === CLOSED) back.end();
      else r.front.resume();
    },
    close(back) {
      closeRelay(st, back.data);
    },
    connectError(back) {
      closeRelay(st, back.data);
    },
    error() {
      // close follows
    },
  };
}

/** Reads the header on the front; then connects to the TLS listener. */
function onHeader(
  st: EngineState,
  r: Relay,
  data: Buffer,
  tlsPort: number,
  back: SocketHandler<Relay>,
): void {
  const buf = r.buf ? Buffer.concat([r.buf, data]) : data;
  const h = parseProxyHeader(buf);
  if (h.kind === "incomplete") {
    r.buf = buf;
    return;
  }
  if (h.kind === "invalid") {
    st.core.logger.warn("bad PROXY protocol header, connection closed", {
      peer: r.front.remoteAddress,
      reason: h.reason,
    });
    st.core.metrics.proxyProtocolRefused.inc({ reason: "bad-header" });
    r.buf = null;
    closeRelay(st, r);
    r.front.terminate();
    return;
  }
  if (r.timer) clearTimeout(r.timer);
  r.timer = null;
  r.buf = h.length < buf.length ? buf.subarray(h.length) : null;
  r.ip = h.addresses?.sourceIp ?? r.front.remoteAddress;
  r.phase = CONNECTING;
  // Paused until the back side is open: what arrives meanwhile waits in the kernel.
  r.front.pause();
  Bun.connect<Relay>({ hostname: "127.0.0.1", port: tlsPort, data: r, socket: back }).catch(() =>
    closeRelay(st, r),
  );
}

/** Handlers of the public HTTPS port when it expects the PROXY protocol; `tlsPort` names the internal TLS listener. */
export function relayHandlers(st: EngineState, tlsPort: () => number): SocketHandler<Relay> {
  const back = backHandlers(st);
  return {
    open(front) {
      const r: Relay = {
        front,
        back: null,
        phase: HEADER,
        ip: front.remoteAddress,
        buf: null,
        toBack: null,
        toFront: null,
        key: -1,
        timer: null,
      };
      front.data = r;
      if (!st.core.trusted.has(r.ip)) {
        st.core.logger.debug("PROXY protocol listener: peer not trusted, connection closed", { peer: r.ip });
        st.core.metrics.proxyProtocolRefused.inc({ reason: "untrusted" });
        r.phase = CLOSED;
        front.terminate();
        return;
      }
      st.relays.add(front as Socket<unknown>);
      r.timer = setTimeout(() => {
        if (r.phase !== HEADER) return;
        closeRelay(st, r);
        front.terminate();
      }, st.core.cfg.timeouts.headerMs);
    },
    data(front, data) {
      const r = front.data;
      if (r.phase === RELAYING) r.toBack = pass(r.back!, front, data, r.toBack);
      else if (r.phase === HEADER) onHeader(st, r, data, tlsPort(), back);
      else if (r.phase === CONNECTING) r.buf = r.buf ? Buffer.concat([r.buf, data]) : data;
    },
    drain(front) {
      const r = front.data;
      r.toFront = flush(front, r.toFront);
      if (r.toFront) return;
      if (r.phase === CLOSED) front.end();
      else r.back?.resume();
    },
    close(front) {
      const r = front.data;
      if (!r) return;
      r.toBack = null; // nobody to answer: the back side need not finish its queue
      closeRelay(st, r);
    },
    error() {
      // close follows
    },
  };
}
