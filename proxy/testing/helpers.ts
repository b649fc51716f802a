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

/** JSON lines a child writes on stdout, collected as they come. */
export interface JsonLines {
  lines: Record<string, unknown>[];
  /** Resolves with the first line (seen so far or later) that satisfies `pick`; throws after `timeoutMs`. */
  waitFor(
    pick: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

/**
 * Reads a child's output streams (stdout, and stderr where error lines go) to
 * their end, collecting each JSON line; other lines are passed to stderr.
 */
export function watchJsonLines(proc: Subprocess, streams: ReadableStream<Uint8Array>[]): JsonLines {
  const lines: Record<string, unknown>[] = [];
  const waiter: { notify: (() => void) | null } = { notify: null };
  for (const stream of streams)
    void (async () => {
      const dec = new TextDecoder();
      let buf = "";
      for await (const chunk of stream) {
        buf += dec.decode(chunk, { stream: true });
        let nl = buf.indexOf("\n");
        while (nl >= 0) {
          const line = buf.slice(0, nl);
          try {
            lines.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            if (line.trim()) console.error(line);
          }
          buf = buf.slice(nl + 1);
          nl = buf.indexOf("\n");
        }
        waiter.notify?.();
      }
      waiter.notify?.();
    })();
  return {
    lines,
    async waitFor(pick, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(pick);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0 || proc.exitCode !== null || proc.signalCode !== null)
          throw new Error("the child did not log the expected line");
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          waiter.notify = resolve;
          timer = setTimeout(resolve, Math.min(left, 200));
        });
        clearTimeout(timer);
        waiter.notify = null;
      }
    },
  };
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
  // PROXY_H2_IMPL=node in the test's environment runs the HTTP/2 tests against the node:http2 layer.
  if (process.env.PROXY_H2_IMPL === "node") base.h2.impl = "node";
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

/**
 * Methods of the complete requests written in `bytes`, in order: heads are
 * split at their blank line and bodies skipped by Content-Length or chunked
 * coding (a body that has not been written in full ends the list).
 */
function requestMethods(bytes: string | Uint8Array): string[] {
  const text = typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("latin1");
  const methods: string[] = [];
  let at = 0;
  while (at < text.length) {
    const headEnd = text.indexOf("\r\n\r\n", at);
    if (headEnd < 0) break;
    const head = text.slice(at, headEnd);
    methods.push(head.slice(0, head.indexOf(" ")));
    at = headEnd + 4;
    const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const last = text.indexOf("0\r\n\r\n", at);
      if (last < 0) break;
      at = last + 5;
    } else if (cl) at += Number(cl[1]);
  }
  return methods;
}

/**
 * Length of the first complete response in `buf` (interim 1xx responses count
 * as their own), or -1 while it is incomplete. Framing per RFC 9112 §6.3:
 * no body for HEAD, 1xx, 204 and 304; then chunked; then Content-Length;
 * otherwise the body runs to the close (never complete here).
 */
function responseLength(buf: Buffer, method: string): number {
  const headEnd = buf.indexOf("\r\n\r\n");
  if (headEnd < 0) return -1;
  const head = buf.toString("latin1", 0, headEnd);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  const bodyStart = headEnd + 4;
  if (method === "HEAD" || status < 200 || status === 204 || status === 304) return bodyStart;
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf("\r\n", at);
      if (lineEnd < 0) return -1;
      const size = Number.parseInt(buf.toString("latin1", at, lineEnd), 16);
      if (size === 0) {
        const end = buf.indexOf("\r\n\r\n", lineEnd - 2);
        return end < 0 ? -1 : end + 4;
      }
      at = lineEnd + 2 + size + 2;
      if (at > buf.length) return -1;
    }
  }
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (cl) return buf.length >= bodyStart + Number(cl[1]) ? bodyStart + Number(cl[1]) : -1;
  return -1;
}

/** How many final (non-1xx) responses `buf` holds complete, for requests with these methods. */
function completeResponses(buf: Buffer, methods: string[]): number {
  let at = 0;
  let done = 0;
  while (at < buf.length && done < methods.length) {
    const rest = buf.subarray(at);
    const len = responseLength(rest, methods[done]!);
    if (len < 0) break;
    if (!/^HTTP\/1\.[01] 1\d\d/.test(rest.toString("latin1", 0, 12))) done++;
    at += len;
  }
  return done;
}

/**
 * Writes raw bytes to a TCP port and returns what came back once every request
 * in `bytes` has its complete response (framed by Content-Length, chunked
 * coding or the close) or the server closed the connection. Throws when
 * neither happens within `timeoutMs`: silence is never taken as the end.
 */
export async function rawExchange(
  port: number,
  bytes: string | Uint8Array,
  timeoutMs = 10_000,
): Promise<string> {
  const methods = requestMethods(bytes);
  const chunks: Buffer[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_s, d) {
        chunks.push(Buffer.from(d));
        wake?.();
      },
      close() {
        closed = true;
        wake?.();
      },
    },
  });
  sock.write(bytes);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const received = Buffer.concat(chunks);
      if (closed || (methods.length > 0 && completeResponses(received, methods) >= methods.length))
        return received.toString("latin1");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`rawExchange: no complete response and no close within ${timeoutMs} ms`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      wake = null;
    }
  } finally {
    sock.end();
  }
}

/** Whether tests must have their services (CI, or REQUIRE_SERVICES=1): a missing one fails instead of skipping. */
export const servicesRequired = process.env.CI === "true" || process.env.REQUIRE_SERVICES === "1";

/**
 * Redis for tests: REDIS_URL or the local one on 6379, or null when it does not
 * answer a PING (then the Redis tests are skipped, visibly). Throws instead
 * when services are required.
 */
export async function testRedisUrl(): Promise<string | null> {
  const url = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const { default: Redis } = await import("ioredis");
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch (err) {
    if (servicesRequired)
      throw new Error(
        `Redis at ${new URL(url).host} is required (CI / REQUIRE_SERVICES) but did not answer: ${err}`,
      );
    return null;
  } finally {
    client.disconnect();
  }
}
