import type { Socket, SocketHandler } from "bun";
import type { ProxyConfig } from "./config.ts";
import type { Upstream } from "./upstream.ts";

/**
 * One socket to an upstream. `ex` is the exchange using it (null while idle),
 * `out` holds bytes the kernel did not take yet (backpressure).
 */
export interface UpConn<Ex = unknown, Tunnel = unknown> {
  sock: Socket<UpConn<Ex, Tunnel>> | null;
  up: Upstream;
  ex: Ex | null;
  tunnel: Tunnel | null;
  /** true when this socket already served a request (a failure may be a stale keep-alive) */
  reused: boolean;
  openedAt: number;
  idleSince: number;
  closed: boolean;
  /** given up on (connect timeout) before Bun reported the outcome */
  abandoned: boolean;
  out: Buffer[] | null;
}

/**
 * Keep-alive sockets per upstream, most recently used first (LIFO keeps a hot
 * set of sockets and lets the rest age out). Bounded like nginx `keepalive`:
 * at most `maxIdlePerUpstream` idle sockets; extras are closed on release.
 */
export class UpstreamPool<Ex, Tunnel> {
  private readonly idle = new Map<Upstream, UpConn<Ex, Tunnel>[]>();
  readonly connecting = new Set<UpConn<Ex, Tunnel>>();

  constructor(
    private readonly handlers: SocketHandler<UpConn<Ex, Tunnel>>,
    private cfg: ProxyConfig,
  ) {}

  reconfigure(cfg: ProxyConfig): void {
    this.cfg = cfg;
  }

  /** An idle socket for `up`, or a new connection (its `sock` is set on open). */
  acquire(up: Upstream, ex: Ex, now: number): UpConn<Ex, Tunnel> {
    const list = this.idle.get(up);
    while (list?.length) {
      const conn = list.pop()!;
      // `closed` is set by our close handler and by destroy(), before any socket goes away.
      if (conn.closed || !conn.sock) continue;
      conn.ex = ex;
      conn.reused = true;
      return conn;
    }
    const conn: UpConn<Ex, Tunnel> = {
      sock: null,
      up,
      ex,
      tunnel: null,
      reused: false,
      openedAt: now,
      idleSince: 0,
      closed: false,
      abandoned: false,
      out: null,
    };
    up.open++;
    this.connecting.add(conn);
    Bun.connect<UpConn<Ex, Tunnel>>({
      hostname: up.spec.host,
      port: up.spec.port,
      socket: this.handlers,
      data: conn,
    }).catch(() => {
      // connectError already handled it; the rejection itself carries nothing new
    });
    return conn;
  }

  /** Returns a socket after a complete exchange; closes it when the pool is full. */
  release(conn: UpConn<Ex, Tunnel>, now: number): void {
    conn.ex = null;
    if (conn.closed || !conn.sock) return;
    let list = this.idle.get(conn.up);
    if (!list) {
      list = [];
      this.idle.set(conn.up, list);
    }
    if (list.length >= this.cfg.pool.maxIdlePerUpstream || conn.out) {
      this.destroy(conn);
      return;
    }
    conn.idleSince = now;
    list.push(conn);
  }

  /** Marks a socket closed once (counters) and forgets it. */
  markClosed(conn: UpConn<Ex, Tunnel>): boolean {
    if (conn.closed) return false;
    conn.closed = true;
    conn.up.open--;
    this.connecting.delete(conn);
    if (!conn.ex) {
      const list = this.idle.get(conn.up);
      const i = list ? list.indexOf(conn) : -1;
      if (i >= 0) list!.splice(i, 1);
    }
    return true;
  }

  destroy(conn: UpConn<Ex, Tunnel>): void {
    const sock = conn.sock;
    this.markClosed(conn);
    conn.ex = null;
    if (sock && sock.readyState > 0) sock.terminate();
  }

  idleCount(up: Upstream): number {
    return this.idle.get(up)?.length ?? 0;
  }

  /** Closes idle sockets older than the idle timeout, oldest first. */
  sweep(now: number): void {
    const limit = now - this.cfg.pool.idleTimeoutMs;
    for (const list of this.idle.values()) {
      while (list.length && list[0]!.idleSince < limit) {
        const conn = list.shift()!;
        this.destroy(conn);
      }
    }
  }

  /** Closes every idle socket (shutdown, or an upstream removed by reload). */
  closeIdle(up?: Upstream): void {
    for (const [u, list] of this.idle) {
      if (up && u !== up) continue;
      for (const conn of list.splice(0)) this.destroy(conn);
    }
  }
}
