/** Processes and the closed-loop client of the search/list benchmark (scripts/load/search-bench.ts). */
import { readdirSync, readFileSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appRuntimeEnv } from "../../server/runtime-env.ts";
import { wrk } from "./proxy-bench/wrk.ts";

const root = join(import.meta.dir, "..", "..");

/** A process the benchmark started. */
export interface Instance {
  proc: ReturnType<typeof Bun.spawn>;
  port: number;
  /** ms from spawn until the first search was answered (200). */
  firstAnswerMs: number;
  /** ms from spawn until the in-process index logged it was built (null: none). */
  readyMs: number | null;
  /** Resident memory now and at its peak, MB. */
  memory(): { rss_mb: number; peak_mb: number };
}

/** Requests, rate and latency of one query class. */
export interface ClassResult {
  name: string;
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

function ownCpuMs(pid: number): { ms: number; ppid: number } {
  try {
    // Fields after the command name (which may hold spaces): ppid is the 2nd, utime and stime the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100, ppid: Number(f[1]) }; // USER_HZ is 100
  } catch {
    return { ms: 0, ppid: -1 };
  }
}

/**
 * CPU time (user + system) used so far by a process and its live children
 * (the proxy's workers), ms, from /proc; 0 when unreadable. Children that
 * exited meanwhile are not counted.
 */
export function procCpuMs(pid: number): number {
  let total = ownCpuMs(pid).ms;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    const child = ownCpuMs(Number(entry));
    if (child.ppid === pid) total += child.ms;
  }
  return total;
}

function procMemory(pid: number): { rss_mb: number; peak_mb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss_mb: Math.round(kb("VmRSS") / 1024), peak_mb: Math.round(kb("VmHWM") / 1024) };
  } catch {
    return { rss_mb: 0, peak_mb: 0 };
  }
}

async function waitFor(url: string, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${deadlineMs} ms`);
    await Bun.sleep(20);
  }
}

/** Reads log lines from a stream and resolves when one contains `marker`. */
async function logLine(stream: ReadableStream<Uint8Array>, marker: string): Promise<void> {
  const reader = stream.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`process exited before logging "${marker}"`);
    text += new TextDecoder().decode(value);
    if (text.includes(marker)) {
      // Keep draining so the child never blocks on a full pipe.
      void (async () => {
        while (!(await reader.read()).done) {}
      })();
      return;
    }
    text = text.slice(-2000);
  }
}

/** One app instance (`bun server/main.ts`) with `env`, timed until it answers search (and its index is built). */
export async function startInstance(env: Record<string, string>, waitIndex: boolean): Promise<Instance> {
  const t0 = performance.now();
  // BENCH_APP_FLAGS: extra runtime flags for the app (e.g. `--smol`, to compare memory settings).
  const flags = (process.env.BENCH_APP_FLAGS ?? "").split(" ").filter(Boolean);
  const proc = Bun.spawn([process.execPath, ...flags, "server/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      JWT_SECRET: "x".repeat(32),
      LOG_LEVEL: "info",
      APP_HOST: "127.0.0.1",
      // BENCH_APP_RUNTIME_ENV=off starts the app without appRuntimeEnv (to measure what it changes).
      ...(process.env.BENCH_APP_RUNTIME_ENV === "off" ? {} : appRuntimeEnv),
      ...env,
    },
    stdout: "pipe",
    stderr: "inherit",
  });
  const port = Number(env.PORT);
  const built = waitIndex ? logLine(proc.stdout as ReadableStream<Uint8Array>, "search index built") : null;
  if (!built) void (proc.stdout as ReadableStream<Uint8Array>).pipeTo(new WritableStream());
  await waitFor(`http://127.0.0.1:${port}/api/search?q=a`, 60_000);
  const firstAnswerMs = Math.round(performance.now() - t0);
  let readyMs: number | null = null;
  if (built) {
    await built;
    readyMs = Math.round(performance.now() - t0);
  }
  return { proc, port, firstAnswerMs, readyMs, memory: () => procMemory(proc.pid) };
}

/** The proxy (`bun proxy/main.ts`) in front of an instance. */
export async function startProxy(env: Record<string, string>, port: number): Promise<Instance> {
  const proc = Bun.spawn([process.execPath, "proxy/main.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdout: "ignore",
    stderr: "inherit",
  });
  await waitFor(`http://127.0.0.1:${port}/api/search/suggest?q=a`, 30_000);
  return { proc, port, firstAnswerMs: 0, readyMs: null, memory: () => procMemory(proc.pid) };
}

/** Stops a process the benchmark started (by its own handle). */
export async function stop(i: Instance): Promise<void> {
  if (i.proc.exitCode !== null || i.proc.killed) return;
  i.proc.kill();
  await i.proc.exited;
}

function round(n: number, d = 1): number {
  return Math.round(n * 10 ** d) / 10 ** d;
}

/** A request of a load class: a path, or a path with headers (e.g. a signed-in caller's token). */
export type BenchRequest = string | { path: string; headers: Record<string, string> };

/** Closed-loop load: `concurrency` clients, each sending the next request when the last one answered. */
export async function run(base: string, next: () => BenchRequest, seconds: number, concurrency: number) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          const req = next();
          const res =
            typeof req === "string"
              ? await fetch(base + req)
              : await fetch(base + req.path, { headers: req.headers });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0, 2);
  return {
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50_ms: q(0.5),
    p99_ms: q(0.99),
    errors,
  };
}

/** What browsers and Bun's fetch send: the proxy compresses as it would for them. */
const ACCEPT_ENCODING = "Accept-Encoding: gzip, deflate, br, zstd";

/**
 * The same closed-loop load as `run`, driven by wrk (`-t1 -c<concurrency>`)
 * instead of fetch in this process: wrk costs the shared 2 cores a fraction
 * of what fetch does per request, so more of the machine serves. Each request
 * is a random one of 20,000 drawn beforehand from the class's generator (a
 * Lua table; headers such as a signed-in customer's token go with their
 * path). Latencies are wrk's (HdrHistogram, from send to last byte).
 */
export async function runWrk(base: string, next: () => BenchRequest, seconds: number, concurrency: number) {
  // JSON string literals are Lua string literals too (ASCII escapes; other text passes as UTF-8 bytes).
  const lua = (r: BenchRequest) => {
    if (typeof r === "string") return `{${JSON.stringify(r)}}`;
    const headers = Object.entries(r.headers).map(([k, v]) => `[${JSON.stringify(k)}]=${JSON.stringify(v)}`);
    return `{${JSON.stringify(r.path)},{${headers.join(",")}}}`;
  };
  const requests = Array.from({ length: 20_000 }, () => lua(next()));
  const file = join(tmpdir(), `bench-requests-${process.pid}.lua`);
  await Bun.write(
    file,
    [
      `math.randomseed(${Math.floor(Math.random() * 1e9)})`,
      `local reqs = {${requests.join(",\n")}}`,
      "local n = #reqs",
      // A request's own headers replace wrk's (-H) in wrk.format, so the common ones are added to them.
      "request = function()",
      "  local r = reqs[math.random(n)]",
      "  local h = r[2]",
      "  if h then for k, v in pairs(wrk.headers) do if h[k] == nil then h[k] = v end end end",
      '  return wrk.format("GET", r[1], h)',
      "end",
    ].join("\n"),
  );
  try {
    const r = await wrk(base, concurrency, seconds, [ACCEPT_ENCODING], false, file);
    return {
      requests: r.requests,
      rps: Math.round(r.rps),
      p50_ms: round(r.p50ms, 2),
      p99_ms: round(r.p99ms, 2),
      errors: r.errors,
    };
  } finally {
    await unlink(file).catch(() => {});
  }
}

/** True when wrk is installed (the search and list benchmarks then drive their load with it). */
export const haveWrk = (): boolean => Bun.which("wrk") !== null;
