import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../platform/testing/until.ts";
import { killAll, spawnUpstream, type TestUpstream } from "./testing/helpers.ts";
import { exchange, getRequest, type SpawnedProxy, spawnProxyMain, statusOf } from "./testing/real-client.ts";

/**
 * Issue 18 item 4: `PROXY_WORKERS=2` — the real `bun proxy/main.ts` as a
 * supervisor of two workers sharing the port: both serve, a killed one is
 * started again, SIGHUP reaches both, the supervisor's /metrics adds theirs up.
 */

const tmp = mkdtempSync(join(tmpdir(), "proxy-workers-"));
const configFile = join(tmp, "proxy.json");
let a: TestUpstream;
let b: TestUpstream;
let p: SpawnedProxy;

interface Worker {
  worker: number;
  pid: number | null;
  adminPort: number | null;
  restarts: number;
}

const workers = async () =>
  (await (await fetch(`http://127.0.0.1:${p.adminPort}/workers`)).json()) as Worker[];
const metricsOf = async (port: number | null) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
/** proxy_requests_total for one upstream and status in an exposition (0 when absent). */
const requestsIn = (text: string, upstream: string, status = 200) =>
  Number(
    new RegExp(`proxy_requests_total\\{upstream="${upstream}",status="${status}"\\} (\\d+)`).exec(
      text,
    )?.[1] ?? 0,
  );

beforeAll(async () => {
  a = await spawnUpstream("a");
  b = await spawnUpstream("b");
  writeFileSync(configFile, JSON.stringify({ upstreams: [{ host: "127.0.0.1", port: a.port, weight: 1 }] }));
  p = await spawnProxyMain({
    PROXY_WORKERS: "2",
    PROXY_CONFIG_FILE: configFile,
    PROXY_RATE_LIMIT: "off",
    PROXY_ACCESS_LOG: "off",
  });
  await until(async () => (await workers()).every((w) => w.adminPort !== null), "both workers ready", 15_000);
});
afterAll(async () => {
  p?.proc.kill("SIGTERM");
  await p?.proc.exited;
  await killAll();
  rmSync(tmp, { recursive: true, force: true });
});

/** `n` requests, each on a new connection (the kernel picks a worker per connection). */
async function requests(n: number, target = "/api/who"): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++)
    statuses.push(statusOf(await exchange(p.port, { request: getRequest(target) })));
  return statuses;
}

test("both workers serve, and the supervisor's /metrics is the sum of theirs", async () => {
  expect((await requests(60)).every((s) => s === 200)).toBe(true);
  const list = await workers();
  expect(list.length).toBe(2);
  const per = await Promise.all(
    list.map(async (w) => requestsIn(await metricsOf(w.adminPort), `127.0.0.1:${a.port}`)),
  );
  // SO_REUSEPORT hashes each new connection's addresses: 60 connections land on both.
  for (const n of per) expect(n).toBeGreaterThan(0);
  const summed = await metricsOf(p.adminPort);
  expect(requestsIn(summed, `127.0.0.1:${a.port}`)).toBe(per[0]! + per[1]!);
  expect(per[0]! + per[1]!).toBeGreaterThanOrEqual(60);
  expect(summed).toContain("proxy_workers 2");
  expect(summed).toContain("proxy_workers_up 2");
  // Memory by part, summed over the workers (RSS of two Bun processes: tens of MB at least).
  const rss = Number(/proxy_memory_bytes\{part="rss"\} (\d+)/.exec(summed)?.[1] ?? 0);
  expect(rss).toBeGreaterThan(20 * 1024 * 1024);
  expect(summed.match(/# TYPE proxy_requests_total counter/g)?.length).toBe(1);
});

test("SIGHUP reaches both workers", async () => {
  writeFileSync(configFile, JSON.stringify({ upstreams: [{ host: "127.0.0.1", port: b.port, weight: 1 }] }));
  const seenBefore = p.logs.lines.filter((l) => l.msg === "configuration reloaded").length;
  p.proc.kill("SIGHUP");
  await until(
    () => p.logs.lines.filter((l) => l.msg === "configuration reloaded").length >= seenBefore + 2,
    "two reload lines",
    10_000,
  );
  const reloaded = p.logs.lines.filter((l) => l.msg === "configuration reloaded").slice(seenBefore);
  expect(new Set(reloaded.map((l) => l.worker))).toEqual(new Set([0, 1]));
  // Whichever worker takes a connection now sends it to b.
  expect((await requests(20, "/api/who")).every((s) => s === 200)).toBe(true);
  const summed = await metricsOf(p.adminPort);
  expect(requestsIn(summed, `127.0.0.1:${b.port}`)).toBe(20);
});

test("a killed worker is started again and serves", async () => {
  const before = await workers();
  const victim = before[1]!;
  process.kill(victim.pid!, "SIGKILL");
  await until(
    async () => {
      const w = (await workers())[1]!;
      return w.pid !== null && w.pid !== victim.pid && w.adminPort !== null;
    },
    "worker 1 back with a new pid",
    15_000,
  );
  const after = (await workers())[1]!;
  expect(after.restarts).toBe(victim.restarts + 1);
  // The port answers, and the new worker takes its share of connections.
  expect((await requests(40)).every((s) => s === 200)).toBe(true);
  const served = requestsIn(await metricsOf(after.adminPort), `127.0.0.1:${b.port}`);
  expect(served).toBeGreaterThan(0);
  expect(await metricsOf(p.adminPort)).toContain("proxy_worker_restarts_total 1");
});

test("SIGTERM drains every worker and the supervisor exits 0", async () => {
  const pids = (await workers()).map((w) => w.pid!);
  p.proc.kill("SIGTERM");
  expect(await p.proc.exited).toBe(0);
  for (const pid of pids) {
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    expect(alive).toBe(false);
  }
});
