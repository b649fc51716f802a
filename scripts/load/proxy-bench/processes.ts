import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Subprocess } from "bun";

/** Process helpers of the proxy benchmark: spawning, readiness, CPU and memory of a pid. */

/** The repository root (the working directory of every spawned server). */
export const root = resolve(import.meta.dir, "..", "..", "..");

/** Runs a command to completion; `ok` is a zero exit code. */
export function sh(cmd: string[]): { ok: boolean; out: string } {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  return { ok: r.exitCode === 0, out: r.stdout.toString() + r.stderr.toString() };
}

/** Installs wrk, nginx, taskset, ss and h2load (and `extra` packages, named as their command) with apt-get when one is missing. */
export function ensureTools(extra: string[] = []): void {
  const missing = ["wrk", "nginx", "taskset", "ss", "h2load", ...extra].filter(
    (t) => !sh(["sh", "-c", `command -v ${t}`]).ok,
  );
  if (!missing.length) return;
  console.log(`installing ${missing.join(", ")} with apt-get …`);
  sh(["apt-get", "update", "-qq"]);
  const pkgs = ["wrk", "nginx-light", "util-linux", "iproute2", "nghttp2-client", ...extra];
  if (!sh(["apt-get", "install", "-y", "-qq", ...pkgs]).ok)
    sh([
      "apt-get",
      "install",
      "-y",
      "-qq",
      "wrk",
      "nginx",
      "util-linux",
      "iproute2",
      "nghttp2-client",
      ...extra,
    ]);
}

/** BENCH_PORTS=lo-hi: take ports from this range only (a shared machine where each user has its own range). */
const portRange = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? "");
let nextPort = portRange ? Number(portRange[1]) : 0;

/**
 * A free port: from BENCH_PORTS when set, else one the kernel just handed
 * out (the servers here bind it right after; a clash fails loudly at waitHttp).
 */
export function freePort(): number {
  if (!portRange) return listenOn(0)!;
  const hi = Number(portRange[2]);
  for (; nextPort <= hi; nextPort++) {
    const p = listenOn(nextPort);
    if (p !== null) {
      nextPort++;
      return p;
    }
  }
  throw new Error(`no free port left in BENCH_PORTS=${process.env.BENCH_PORTS}`);
}

function listenOn(port: number): number | null {
  try {
    const l = Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } });
    const p = l.port;
    l.stop(true);
    return p;
  } catch {
    return null;
  }
}

/** Every process the benchmark started, stopped by `stopAll`. */
export const procs: Subprocess[] = [];

/** Spawns a server (stdout ignored) with the environment extended by `env`, in `cwd` (default: the root). */
export function spawn(cmd: string[], env: Record<string, string> = {}, cwd = root): Subprocess {
  const p = Bun.spawn(cmd, { env: { ...process.env, ...env }, stdout: "ignore", stderr: "inherit", cwd });
  procs.push(p);
  return p;
}

/** Stops every spawned process: SIGTERM first (a SIGKILLed nginx master leaves its worker running). */
export function stopAll(): void {
  for (const p of procs) p.kill("SIGTERM");
  Bun.sleepSync(500);
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill(9);
}

/** Starts one benchmark upstream on core 1. */
export function spawnUpstream(port: number): Subprocess {
  return spawn([
    "taskset",
    "-c",
    "1",
    process.execPath,
    resolve(import.meta.dir, "upstream.ts"),
    String(port),
  ]);
}

/** Polls `url` until it answers below 500. */
export async function waitHttp(url: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      await r.arrayBuffer();
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    await Bun.sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** Resident memory of a process in KiB (0 when gone). */
export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** user+system CPU seconds consumed so far by these processes. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Direct children of a process (nginx's worker). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
