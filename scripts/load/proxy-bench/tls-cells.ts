import { join } from "node:path";
import { makeDevCert } from "../../../proxy/dev-cert.ts";
import { cpuSeconds, freePort, root, rssKb, spawn } from "./processes.ts";
import { type Row, summarise } from "./report.ts";
import { type WrkResult, wrk } from "./wrk.ts";

/**
 * The HTTPS cells (issue 18): HTTP/2 with h2load (16 connections × 32
 * streams) and HTTP/1.1 over TLS with wrk (64 connections), against nginx's
 * `listen … ssl http2` and the proxy's TLS port, small and 20 KB responses,
 * in interleaved rounds like the plain cells.
 */

/** A server with an HTTPS port. */
export interface TlsTarget {
  key: string;
  name: string;
  tlsPort: number;
  pids: () => number[];
  /** measured in the HTTP/1.1 (wrk) cells only: the Bun floor server, which has no HTTP/2 */
  h1Only?: boolean;
}

/** h2load's report, in wrk's shape (h2load gives no percentiles: p50 is its mean, p99 its max). */
export async function h2load(
  url: string,
  clients: number,
  streams: number,
  seconds: number,
  warmup: number,
): Promise<WrkResult> {
  const args = ["taskset", "-c", "0", "h2load", "-t1", `-c${clients}`, `-m${streams}`, `-D${seconds}`];
  if (warmup > 0) args.push(`--warm-up-time=${warmup}`);
  args.push(url);
  const p = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  await p.exited;
  const req =
    /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(out);
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out);
  const lat = /time for request:\s+(\S+)\s+(\S+)\s+(\S+)/.exec(out);
  const ms = (v: string | undefined) => {
    const m = /^([\d.]+)(us|ms|s)$/.exec(v ?? "");
    if (!m) return Number.NaN;
    return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
  };
  return {
    rps: Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(out)?.[1] ?? 0),
    p50ms: ms(lat?.[3]),
    p99ms: ms(lat?.[2]),
    errors: (req ? Number(req[4]) + Number(req[5]) : 0) + (codes ? Number(codes[3]) + Number(codes[4]) : 0),
    requests: Number(req?.[3] ?? 0),
  };
}

interface TlsCell {
  name: string;
  conns: number;
  path: string;
  client: "h2load" | "wrk";
}

const cells: TlsCell[] = [
  { name: "HTTP/2 small JSON (h2load 16×32)", conns: 16, path: "/api/small", client: "h2load" },
  { name: "HTTP/2 20 KB JSON (h2load 16×32)", conns: 16, path: "/api/large", client: "h2load" },
  { name: "HTTPS/1.1 small JSON (wrk)", conns: 64, path: "/api/small", client: "wrk" },
  { name: "HTTPS/1.1 20 KB JSON (wrk)", conns: 64, path: "/api/large", client: "wrk" },
];

async function measure(t: TlsTarget, cell: TlsCell, duration: number, warmup: number): Promise<Row> {
  const url = `https://127.0.0.1:${t.tlsPort}${cell.path}`;
  if (cell.client === "wrk" && warmup > 0) await wrk(url, cell.conns, warmup);
  const cpu0 = cpuSeconds(t.pids());
  const r =
    cell.client === "h2load"
      ? await h2load(url, cell.conns, 32, duration, warmup)
      : await wrk(url, cell.conns, duration);
  const cpu = cpuSeconds(t.pids()) - cpu0;
  const rss = t.pids().reduce((a, pid) => a + rssKb(pid), 0);
  const row: Row = {
    route: cell.name,
    conns: cell.conns,
    target: t.name,
    ...r,
    rssMb: Math.round(rss / 102.4) / 10,
    cpuUsPerReq: r.requests ? Math.round((cpu / r.requests) * 1e7) / 10 : null,
    timeWaitUpstream: null,
    ratio: null,
  };
  console.log(
    `${cell.name.padEnd(34)} ${t.name.padEnd(8)} ${r.rps.toFixed(0).padStart(7)} req/s  errors ${r.errors}  cpu ${row.cpuUsPerReq ?? "-"} µs/req  rss ${row.rssMb} MB`,
  );
  return row;
}

/** Every HTTPS cell, `rounds` times with the order of the targets alternating. */
export async function tlsCells(
  targets: TlsTarget[],
  rounds: number,
  duration: number,
  warmup: number,
  only?: string[],
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const cell of cells) {
    if (only && !only.some((k) => cell.name.toLowerCase().includes(k))) continue;
    const here = targets.filter((t) => cell.client === "wrk" || !t.h1Only);
    const samples = new Map<string, Row[]>(here.map((t) => [t.name, []]));
    for (let round = 0; round < rounds; round++)
      for (let i = 0; i < here.length; i++) {
        const t = here[(i + round) % here.length]!;
        samples.get(t.name)!.push(await measure(t, cell, duration, warmup));
      }
    rows.push(...summarise(samples, null));
  }
  return rows;
}

/**
 * The memory floor next to the proxy and nginx in the HTTPS/1.1 cells: a bare
 * `Bun.serve` over TLS with the same bodies (proxy-bench/floor-server.ts).
 */
export async function startFloor(tmp: string): Promise<TlsTarget> {
  const port = freePort();
  const cert = makeDevCert(join(tmp, "certs"));
  const floor = spawn([
    "taskset",
    "-c",
    "1",
    process.execPath,
    join(root, "scripts", "load", "proxy-bench", "floor-server.ts"),
    String(port),
    cert.cert,
    cert.key,
  ]);
  const url = `https://127.0.0.1:${port}/api/small`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(url, { tls: { rejectUnauthorized: false } }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await Bun.sleep(100);
  }
  return { key: "floor", name: "bun floor", tlsPort: port, pids: () => [floor.pid], h1Only: true };
}
