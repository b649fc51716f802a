import { request as httpRequest } from "node:http";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { loadConfig } from "../../platform/config.ts";
import { createLogger } from "../../platform/logger.ts";
import { defaultProxyConfig, mergeConfig, type ProxyConfig, type ProxyOverrides } from "../config.ts";
import { type ProxyHandle, startProxy } from "../server.ts";

/** An upstream test process. */
export interface TestUpstream {
  name: string;
  port: number;
  proc: Subprocess;
  kill(signal?: number): Promise<void>;
}

const children = new Set<Subprocess>();

/** Reads stdout lines of a child until one parses as JSON and satisfies `pick`. */
export async function readJsonLine<T>(
  proc: Subprocess<"ignore", "pipe", "inherit" | "pipe">,
  pick: (v: Record<string, unknown>) => T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const reader = proc.stdout.getReader();
  const dec = new TextDecoder();
  let buf = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const r = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => null)]);
      if (!r || r.done) break;
      buf += dec.decode(r.value, { stream: true });
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const v = pick(JSON.parse(line) as Record<string, unknown>);
          if (v !== undefined) return v;
        } catch {
          // not JSON
        }
        nl = buf.indexOf("\n");
      }
    }
  } finally {
    reader.releaseLock();
  }
  throw new Error("child did not report readiness in time");
}

/** Spawns `proxy/testing/upstream.ts` on an ephemeral port. */
export async function spawnUpstream(name: string, port = 0): Promise<TestUpstream> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "upstream.ts"), name, String(port)], {
    stdout: "pipe",
    stderr: "inherit",
  });
  children.add(proc);
  const bound = await readJsonLine(proc, (v) => (typeof v.port === "number" ? v.port : undefined));
  // Keep draining stdout so the child never blocks on a full pipe.
  void proc.stdout.pipeTo(new WritableStream()).catch(() => {});
  return {
    name,
    port: bound,
    proc,
    async kill(signal = 9) {
      proc.kill(signal);
      await proc.exited;
      children.delete(proc);
    },
  };
}

/** Kills every child process the tests started. */
export async function killAll(): Promise<void> {
  for (const p of children) p.kill(9);
  await Promise.all([...children].map((p) => p.exited));
  children.clear();
}

/** Registers a process started elsewhere so `killAll` cleans it up. */
export function track(proc: Subprocess): void {
  children.add(proc);
}

/** A proxy configuration for tests: ephemeral ports, quiet logs, given upstreams. */
export function testConfig(
  upstreams: TestUpstream[] | { port: number }[],
  over: ProxyOverrides = {},
): ProxyConfig {
  const base = defaultProxyConfig(loadConfig({ LOG_LEVEL: "warn" }));
  return mergeConfig(
    mergeConfig(base, {
      port: 0,
      adminPort: 0,
      tlsPort: 0,
      host: "127.0.0.1",
      upstreams: upstreams.map((u) => ({ host: "127.0.0.1", port: u.port, weight: 1 })),
      accessLog: false,
      rateLimit: { enabled: false, zones: base.rateLimit.zones, redisUrl: undefined, keyPrefix: "rl:" },
      health: { ...base.health, intervalMs: 200, rise: 1, fall: 1 },
      ejection: { consecutive5xx: 5, baseMs: 500, maxMs: 5000 },
    }),
    over,
  );
}

/** Starts an in-process proxy with a quiet logger. */
export function startTestProxy(cfg: ProxyConfig): Promise<ProxyHandle> {
  return startProxy(cfg, createLogger("error", { service: "proxy-test" }));
}

/** A free TCP port (for processes that need a fixed port number up front). */
export function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = l.port;
  l.stop(true);
  return p;
}

/** Polls `cond` until it is true or the timeout passes. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  stepMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await Bun.sleep(stepMs);
  }
  throw new Error("condition not met in time");
}

/** Result of a raw HTTP exchange. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A GET through node:http, which (unlike fetch) leaves Content-Encoding alone. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Writes raw bytes to a TCP port and returns everything received until close or `waitMs` of silence. */
export async function rawExchange(port: number, bytes: string | Uint8Array, waitMs = 1500): Promise<string> {
  const chunks: Buffer[] = [];
  let last = Date.now();
  let closed = false;
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_s, d) {
        chunks.push(Buffer.from(d));
        last = Date.now();
      },
      close() {
        closed = true;
      },
    },
  });
  sock.write(bytes);
  while (!closed && Date.now() - last < waitMs) await Bun.sleep(20);
  sock.end();
  return Buffer.concat(chunks).toString("latin1");
}
