import net from "node:net";
import { Transform, type TransformCallback } from "node:stream";

/**
 * A TCP relay for fault injection in tests and the chaos suite: listens on a
 * local port and forwards every connection to `target`. `cut()` drops the live
 * connections and refuses new ones (the service looks unreachable without
 * touching the service itself), `restore()` ends that, and `delay(ms)` holds
 * every chunk coming back from the target for `ms` (a slow server).
 */
export interface TcpRelay {
  readonly port: number;
  /** `scheme://host:port/…` of `url` with the host and port replaced by the relay's. */
  urlFor(url: string): string;
  cut(): void;
  restore(): void;
  delay(ms: number): void;
  /** Connections accepted and forwarded so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** Delays each chunk by the relay's current delay, keeping the order. */
class DelayStream extends Transform {
  constructor(private readonly currentDelay: () => number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const ms = this.currentDelay();
    if (ms <= 0) done(null, chunk);
    else setTimeout(() => done(null, chunk), ms);
  }
}

/** Starts a relay to `target` on `listenPort` (0 = any free port). */
export async function startTcpRelay(
  target: { host: string; port: number },
  listenPort = 0,
): Promise<TcpRelay> {
  const live = new Set<net.Socket>();
  let isCut = false;
  let delayMs = 0;
  let accepted = 0;
  const server = net.createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host);
    live.add(client);
    live.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(new DelayStream(() => delayMs)).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get accepted() {
      return accepted;
    },
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cut() {
      isCut = true;
      for (const s of live) s.destroy();
      live.clear();
    },
    restore() {
      isCut = false;
    },
    delay(ms: number) {
      delayMs = ms;
    },
    async close() {
      isCut = true;
      for (const s of live) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
