import type { Socket, SocketHandler, TCPSocketListener } from "bun";
import type { Compressor } from "../compress.ts";
import type { ProxyCore } from "../core.ts";
import { RequestIds } from "../headers.ts";
import type { ChunkedParser, Framing, RequestHead, ResponseHead } from "../http1.ts";
import { type UpConn, UpstreamPool } from "../pool.ts";
import type { Upstream } from "../upstream.ts";

/**
 * The engine's shared state and the records it works on. Every role module
 * (writes, client, upstream, response, local, files, tunnel) is a set of plain
 * functions taking the one `EngineState` of a running engine as their first
 * argument: no closures or objects are made per request for the plumbing.
 */

/** One client connection. */
export interface Client {
  sock: Socket<Client>;
  ip: string;
  /** the peer is a trusted proxy (`PROXY_TRUSTED_PROXIES`): its X-Forwarded-For names the client */
  trusted: boolean;
  /**
   * The address is not known yet: `AWAIT_PROXY_HEADER` (a PROXY protocol
   * header must come first) or `AWAIT_RELAY` (relayed from the HTTPS port's
   * PROXY protocol front, which names it); `ADDRESS_KNOWN` otherwise.
   */
  pending: number;
  /** counted in `EngineState.perIp` under `ip` */
  counted: boolean;
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
  /** HTTP/2 negotiated (ALPN `h2`): the socket's bytes belong to that session, not the HTTP/1 parser */
  h2: H2Link | null;
  /** one HTTP/2 stream carried as a request of its own (`proxy/h2/`): not a socket, not counted per IP */
  stream: boolean;
}

/** The HTTP/2 session on a client socket, as the engine's socket handlers see it (`proxy/h2/connection.ts`). */
export interface H2Link {
  /** bytes received from the client */
  data(buf: Buffer): void;
  /** the socket took its queued bytes */
  drain(): void;
  /** the socket closed */
  closed(): void;
  /** drain: GOAWAY, let open streams finish */
  shutdown(): void;
}

/** A pooled upstream socket carrying exchanges (or a tunnel to a client). */
export type Conn = UpConn<Exchange, Client>;

/** One request/response pair on a client connection. */
export interface Exchange {
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
  /** a small body is being read in full before an upstream is chosen (`PROXY_BUFFER_BODY_BYTES`) */
  waitBody: boolean;
  /** counted in `EngineState.inFlight` (`PROXY_MAX_IN_FLIGHT`) until it ends */
  inFlight: boolean;
  /** the client's address: the peer's, or the one a trusted peer's X-Forwarded-For names */
  clientIp: string;
  /** behind a trusted peer: X-Forwarded-For up to and including the client, sent upstream as is */
  chain: string | null;
}

/** `Client.pending` values. */
export const ADDRESS_KNOWN = 0;
export const AWAIT_PROXY_HEADER = 1;
export const AWAIT_RELAY = 2;

/** The real client behind a relayed connection (keyed by the relay's local port). */
export interface RelayedPeer {
  ip: string;
}

/** Line end and blank line of HTTP/1.1 heads. */
export const CRLF = "\r\n";
export const CRLF_CRLF = "\r\n\r\n";
/** Shared empty list for `pending`/`retained` (never pushed to: replaced on first use). */
export const NONE: Buffer[] = Object.freeze([]) as unknown as Buffer[];

/** Everything a running engine shares between its connections. */
export class EngineState {
  readonly clients = new Set<Client>();
  /**
   * Milliseconds since the epoch, refreshed by the sweeper every 100 ms. Timeouts
   * are checked at that granularity anyway, and the hot path then reads no clock
   * for them (latency for metrics and the balancer uses performance.now()).
   */
  clock = Date.now();
  /** open connections per client IP (`PROXY_MAX_CONNS_PER_IP`) */
  readonly perIp = new Map<string, number>();
  /** proxied exchanges in progress, whole engine (`PROXY_MAX_IN_FLIGHT`) */
  inFlight = 0;
  /** `clock` when the last exchange ended (the idle collection waits for a quiet spell) */
  lastExchange = 0;
  /** a collection ran since `lastExchange` */
  collectedIdle = true;
  readonly listeners: TCPSocketListener<unknown>[] = [];
  /**
   * Connections the HTTPS port's PROXY protocol front relays to the internal
   * TLS listener, by the relay's local port (the TLS side's remote port):
   * the client address each one carries.
   */
  readonly relayed = new Map<number, RelayedPeer>();
  /** relay front connections still open (closed at the end of a drain) */
  readonly relays = new Set<Socket<unknown>>();
  draining = false;
  /** the HTTPS port the redirecting listener sends clients to */
  redirectPort = 0;
  /** resolves `drain()` once the last client is gone */
  drainResolve: (() => void) | null = null;
  /**
   * Heads (plus a small first body part) are assembled here and written straight
   * from it: a fresh Buffer per write costs more in allocation and GC than the
   * proxy's own work.
   */
  readonly scratch = Buffer.allocUnsafe(64 * 1024);
  // The security headers and the name of the request-id line, encoded once per configuration.
  securityFor: ProxyCore["headers"] | null = null;
  securityHttp = Buffer.alloc(0);
  securityHttps = Buffer.alloc(0);
  readonly ids = new RequestIds();
  /** static-file streams waiting for a client's queue to drain */
  readonly drainWaiters = new Map<Client, (() => void)[]>();
  readonly pool: UpstreamPool<Exchange, Client>;
  /**
   * Reads the next pipelined request of a client (the client module's
   * `processBuffered`); a hook so that finishing an exchange needs no import of
   * the module that starts them.
   */
  nextRequest: (st: EngineState, c: Client) => void = () => {};

  constructor(
    readonly core: ProxyCore,
    upstreamHandlers: (st: EngineState) => SocketHandler<Conn>,
  ) {
    this.pool = new UpstreamPool<Exchange, Client>(upstreamHandlers(this), core.cfg);
  }
}
