import { connect as netConnect, type Socket } from "node:net";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { freePort, type JsonLines, track, watchJsonLines } from "./helpers.ts";

/**
 * Test clients that act like a load balancer: from a chosen source address
 * (a second loopback such as 127.0.0.2), with a PROXY protocol header first,
 * over TLS after the header. And the real `bun proxy/main.ts` to talk to.
 */

/** What one connection got back before it closed. */
export interface Received {
  /** every byte the server sent, as latin1 */
  text: string;
  /** the server closed (or reset) the connection */
  closed: boolean;
}

/** Options for `exchange`. */
export interface ExchangeOptions {
  /** bytes written first, before any TLS (a PROXY protocol header) */
  prefix?: Uint8Array;
  /** written after the prefix (over TLS when `tls`); should ask for `Connection: close` */
  request?: string;
  localAddress?: string;
  tls?: boolean;
  timeoutMs?: number;
}

/**
 * One connection: the prefix, then the request (in one write when plain, so
 * header and request share a segment as balancers often send them), then
 * everything until the server closes. Throws when it does not close in time.
 */
export function exchange(port: number, o: ExchangeOptions = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closed });
    };
    const raw: Socket = netConnect({ host: "127.0.0.1", port, localAddress: o.localAddress }, () => {
      if (!o.tls) {
        raw.write(Buffer.concat([o.prefix ?? new Uint8Array(0), Buffer.from(o.request ?? "", "latin1")]));
        return;
      }
      if (o.prefix) raw.write(o.prefix);
      const secure = tlsConnect({ socket: raw, rejectUnauthorized: false, servername: "localhost" }, () => {
        if (o.request) secure.write(o.request);
      });
      secure.on("data", (d: Buffer) => chunks.push(d));
      secure.on("close", () => finish(true));
      secure.on("error", () => finish(true));
    });
    if (!o.tls) raw.on("data", (d: Buffer) => chunks.push(d));
    raw.on("close", () => finish(true));
    raw.on("error", () => finish(true));
    const timer = setTimeout(() => {
      raw.destroy();
      if (!done)
        reject(
          new Error(`no close within ${o.timeoutMs ?? 5000} ms; got ${Buffer.concat(chunks).length} bytes`),
        );
      done = true;
    }, o.timeoutMs ?? 5000);
  });
}

/** Opens a connection, writes `prefix`, and keeps it open (for connection caps); `close()` ends it. */
export function hold(port: number, prefix: Uint8Array): Promise<{ sock: Socket; received: () => string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = netConnect({ host: "127.0.0.1", port }, () => {
      sock.write(prefix);
      resolve({ sock, received: () => Buffer.concat(chunks).toString("latin1") });
    });
    sock.on("data", (d: Buffer) => chunks.push(d));
    sock.on("error", reject);
  });
}

/** A GET with `Connection: close` and optional extra header lines. */
export const getRequest = (target: string, extra = "") =>
  `GET ${target} HTTP/1.1\r\nHost: shop.test\r\n${extra}Connection: close\r\n\r\n`;

/** Status code of a received response (0 when nothing came). */
export const statusOf = (r: Received) => Number(r.text.slice(9, 12)) || 0;

/** JSON body of a received response. */
export const jsonOf = (r: Received) =>
  JSON.parse(r.text.slice(r.text.indexOf("\r\n\r\n") + 4)) as Record<string, string>;

/** A running `bun proxy/main.ts`. */
export interface SpawnedProxy {
  proc: ReturnType<typeof Bun.spawn>;
  port: number;
  tlsPort: number;
  adminPort: number;
  logs: JsonLines;
}

/**
 * Starts `bun proxy/main.ts` with `env` on ports picked just before (its
 * settings take no port 0); when one was taken meanwhile it tries again.
 */
export async function spawnProxyMain(env: Record<string, string>): Promise<SpawnedProxy> {
  for (let attempt = 1; ; attempt++) {
    const [port, tlsPort, adminPort] = [freePort(), freePort(), freePort()];
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "..", "main.ts")], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        LOG_LEVEL: "info",
        PROXY_PORT: String(port),
        PROXY_TLS_PORT: String(tlsPort),
        PROXY_ADMIN_PORT: String(adminPort),
        PROXY_HOST: "127.0.0.1",
        PROXY_HEALTH_INTERVAL_MS: "200",
        // One process unless a test asks for workers (PROXY_WORKERS defaults to one per core).
        PROXY_WORKERS: "1",
        ...env,
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    track(proc);
    const logs = watchJsonLines(proc, [proc.stdout, proc.stderr]);
    try {
      await logs.waitFor((l) => l.msg === "proxy listening");
      return { proc, port, tlsPort, adminPort, logs };
    } catch (err) {
      proc.kill(9);
      if (attempt >= 3) throw err;
    }
  }
}
