import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeDevCert } from "../../proxy/dev-cert.ts";
import { proxyRuntimeEnv } from "../../proxy/runtime-env.ts";
import { killCheck } from "./proxy-bench/kill-check.ts";
import { balancerInFront, nginxConf, type RealIpMode } from "./proxy-bench/nginx.ts";
import { measurePair, type PairSample } from "./proxy-bench/paired.ts";
import {
  childPids,
  cpuSeconds,
  ensureTools,
  freePort,
  root,
  rssKb,
  sh,
  spawn,
  spawnUpstream,
  stopAll,
  waitHttp,
} from "./proxy-bench/processes.ts";
import { type KillResult, markdown, type Row, summarise, writeTable } from "./proxy-bench/report.ts";
import { newTimeWait, noteUpstreamSockets, timeWaitSockets } from "./proxy-bench/sockets.ts";
import { startFloor, type TlsTarget, tlsCells } from "./proxy-bench/tls-cells.ts";
import { wrk } from "./proxy-bench/wrk.ts";

/**
 * Proxy benchmark: direct to one app instance vs nginx vs our proxy (and, with
 * BENCH_BEFORE, the proxy of another checkout), measured in interleaved rounds
 * in one run with wrk pinned to core 0 and every server on core 1.
 * `bun scripts/load/proxy.ts`; knobs in scripts/load/README-proxy.md.
 * Writes scripts/load/results/proxy.json and the table in docs/proxy.md and
 * scripts/load/README-proxy.md.
 */

const duration = Number(process.env.BENCH_DURATION ?? 5);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const connLevels = (process.env.BENCH_CONNS ?? "64,256").split(",").map(Number);
const killSeconds = Number(process.env.BENCH_KILL_SECONDS ?? 20);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const routeFilter = process.env.BENCH_ROUTES?.split(",");
const targetFilter = process.env.BENCH_TARGETS?.split(",");
/** A checkout of an earlier commit (with `bun install` done) whose proxy is measured side by side. */
const beforeDir = process.env.BENCH_BEFORE || null;
/** BENCH_H2_NODE=1: also run the proxy with `PROXY_H2_IMPL=node` (HTTPS cells only measure it). */
/** BENCH_FLOOR=0 skips the Bun floor (a bare `Bun.serve` over TLS) in the HTTPS/1.1 cells. */
const floorToo = process.env.BENCH_FLOOR !== "0";
const h2NodeToo = process.env.BENCH_H2_NODE === "1";
const beforeName = "proxy (before)";
/**
 * With BENCH_BEFORE: also measure the two proxies side by side at the same
 * time each round (BENCH_PAIRED=0 skips); BENCH_PAIRED=1 without it pairs the
 * proxy with nginx only.
 */
const paired = (beforeDir !== null && process.env.BENCH_PAIRED !== "0") || process.env.BENCH_PAIRED === "1";
/** BENCH_SEQUENTIAL=0 (with BENCH_BEFORE): only the paired windows, e.g. for an A/A check of the method. */
const sequential = !paired || process.env.BENCH_SEQUENTIAL !== "0";
/**
 * BENCH_REAL_IP: `off` (default), `xff` (nginx and the proxy trust 127.0.0.1;
 * wrk sends X-Forwarded-For) or `proxy-protocol` (the same, and HAProxy in
 * front of each writes a PROXY v2 header per connection). Partial runs: the
 * published table stays the feature-off one.
 */
const realIpMode = (process.env.BENCH_REAL_IP ?? "off") as RealIpMode;
if (!["off", "xff", "proxy-protocol"].includes(realIpMode))
  throw new Error(`BENCH_REAL_IP must be off, xff or proxy-protocol (got ${realIpMode})`);
if (realIpMode !== "off" && beforeDir) throw new Error("BENCH_REAL_IP and BENCH_BEFORE do not combine");
/** Runs of some routes or targets only leave the published table and results alone. */
const partial = routeFilter !== undefined || targetFilter !== undefined;
const noDocs = Boolean(process.env.BENCH_NO_DOCS) || realIpMode !== "off" || partial;
/** The client address wrk's requests claim in `xff` mode. */
const forwardedFor = realIpMode === "xff" ? ["X-Forwarded-For: 203.0.113.7"] : [];

/** A server being measured. */
interface Target {
  key: string;
  name: string;
  port: number;
  pids: () => number[];
  /** HTTPS port (HTTP/2 and HTTP/1.1) for the TLS cells: nginx and the proxy */
  tlsPort?: number;
}

/** A route of the table. */
interface Route {
  key: string;
  name: string;
  path: string;
  headers: string[];
  /** measured straight against an app instance too (the static file is served by the proxy only) */
  direct: boolean;
}

function routes(): Route[] {
  const staticFile = readdirSync(join(root, "web", "static")).find((f) => f.endsWith(".js"));
  const all: Route[] = [
    { key: "small", name: "small JSON (~200 B)", path: "/api/small", headers: [], direct: true },
    { key: "large", name: "20 KB JSON", path: "/api/large", headers: [], direct: true },
    {
      key: "large-gzip",
      name: "20 KB JSON, gzip",
      path: "/api/large",
      headers: ["Accept-Encoding: gzip"],
      direct: true,
    },
    { key: "static", name: "static file", path: `/static/${staticFile}`, headers: [], direct: false },
  ];
  return all
    .filter((r) => !routeFilter || routeFilter.includes(r.key))
    .map((r) => ({
      ...r,
      headers: [...r.headers, ...forwardedFor],
      direct: r.direct && realIpMode === "off",
    }));
}

/** Environment of a proxy under test: limiter and access log off, gzip level 5. */
function proxyEnv(port: number, upPorts: number[]): Record<string, string> {
  return {
    PROXY_PORT: String(port),
    PROXY_ADMIN_PORT: String(freePort()),
    PROXY_HOST: "127.0.0.1",
    PROXY_UPSTREAMS: upPorts.map((p) => `127.0.0.1:${p}`).join(","),
    PROXY_RATE_LIMIT: "off",
    PROXY_ACCESS_LOG: "off",
    PROXY_MAX_CONNS_PER_IP: "0",
    PROXY_GZIP_LEVEL: "5",
    // One process on its one core, like nginx's one worker (BENCH_WORKERS for the scaling plan).
    PROXY_WORKERS: process.env.BENCH_WORKERS ?? "1",
    LOG_LEVEL: "warn",
    ...(realIpMode === "off" ? {} : { PROXY_TRUSTED_PROXIES: "127.0.0.1/32" }),
    ...(realIpMode === "proxy-protocol" ? { PROXY_PROXY_PROTOCOL: "http" } : {}),
    ...proxyRuntimeEnv,
  };
}

/** Starts nginx and the proxies in front of `upPorts`; returns the targets in measuring order. */
async function startTargets(tmp: string, upPorts: number[]): Promise<Target[]> {
  const nginxPort = freePort();
  const nginxTls = freePort();
  const proxyTls = freePort();
  const cert = makeDevCert(join(tmp, "certs"));
  writeFileSync(
    join(tmp, "nginx.conf"),
    nginxConf(tmp, nginxPort, upPorts, { port: nginxTls, ...cert }, realIpMode),
  );
  const nginxCmd = ["nginx", "-p", tmp, "-c", join(tmp, "nginx.conf"), "-g", "daemon off;"];
  const nginx = spawn(["taskset", "-c", "1", ...nginxCmd]);
  const proxyPort = freePort();
  // HTTPS too (HTTP/2 and HTTP/1.1 on one port); the plain port keeps serving (no redirect).
  const tlsEnv = {
    TLS_CERT_FILE: cert.cert,
    TLS_KEY_FILE: cert.key,
    PROXY_TLS_PORT: String(proxyTls),
    PROXY_TLS_REDIRECT: "off",
  };
  const proxy = spawn(["taskset", "-c", "1", process.execPath, "proxy/main.ts"], {
    ...proxyEnv(proxyPort, upPorts),
    ...tlsEnv,
  });
  const targets: Target[] = [
    { key: "direct", name: "direct", port: upPorts[0]!, pids: () => [] },
    {
      key: "nginx",
      name: "nginx",
      port: nginxPort,
      pids: () => [nginx.pid, ...childPids(nginx.pid)],
      tlsPort: nginxTls,
    },
  ];
  if (beforeDir) {
    const port = freePort();
    // PROXY_ENGINE=raw: older trees also had an http-proxy engine; newer ones ignore the variable.
    const env = { ...proxyEnv(port, upPorts), PROXY_ENGINE: "raw" };
    const before = spawn(["taskset", "-c", "1", process.execPath, "proxy/main.ts"], env, beforeDir);
    targets.push({ key: "before", name: beforeName, port, pids: () => [before.pid] });
  }
  if (h2NodeToo) {
    // The same proxy with the previous HTTP/2 layer (node:http2), for the HTTPS cells side by side.
    const port = freePort();
    const tlsPort = freePort();
    const env = {
      ...proxyEnv(port, upPorts),
      ...tlsEnv,
      PROXY_TLS_PORT: String(tlsPort),
      PROXY_H2_IMPL: "node",
    };
    const node = spawn(["taskset", "-c", "1", process.execPath, "proxy/main.ts"], env);
    targets.push({ key: "h2node", name: "proxy (node:http2)", port, pids: () => [node.pid], tlsPort });
  }
  targets.push({
    key: "proxy",
    name: "proxy",
    port: proxyPort,
    pids: () => [proxy.pid, ...childPids(proxy.pid)],
    tlsPort: proxyTls,
  });
  const measured = targets.filter(
    (t) =>
      (!targetFilter || targetFilter.includes(t.key) || t.key === "nginx" || t.key === "h2node") &&
      route0Direct(t),
  );
  if (realIpMode === "proxy-protocol") for (const t of measured) t.port = balancerInFront(tmp, t.port);
  for (const t of measured) await waitHttp(`http://127.0.0.1:${t.port}/api/small`);
  return measured;
}

/** In `proxy-protocol` mode the app instance, which speaks no PROXY protocol, is not a target. */
function route0Direct(t: Target): boolean {
  return t.key !== "direct" || realIpMode !== "proxy-protocol";
}

/** One measured cell: warm-up, then wrk with CPU, RSS and upstream churn sampled around it. */
async function measure(t: Target, route: Route, conns: number, upPorts: number[]): Promise<Row> {
  const url = `http://127.0.0.1:${t.port}${route.path}`;
  if (warmup > 0) await wrk(url, conns, warmup, route.headers); // warm-up: JIT, pools
  noteUpstreamSockets(t.name, t.pids(), upPorts);
  const tw0 = timeWaitSockets(upPorts);
  const cpu0 = cpuSeconds(t.pids());
  let newTw = 0;
  const sampler = setTimeout(
    () => {
      noteUpstreamSockets(t.name, t.pids(), upPorts);
      newTw = newTimeWait(t.name, tw0, upPorts);
    },
    (duration - 1) * 1000,
  );
  const r = await wrk(url, conns, duration, route.headers);
  clearTimeout(sampler);
  const cpu = cpuSeconds(t.pids()) - cpu0;
  const rss = t.pids().reduce((a, pid) => a + rssKb(pid), 0);
  const row: Row = {
    route: route.name,
    conns,
    target: t.name,
    ...r,
    rssMb: Math.round(rss / 102.4) / 10,
    cpuUsPerReq: t.key === "direct" || !r.requests ? null : Math.round((cpu / r.requests) * 1e7) / 10,
    timeWaitUpstream: t.key === "direct" ? null : newTw,
    ratio: null,
  };
  console.log(
    `${route.name.padEnd(20)} c=${String(conns).padEnd(4)} ${t.name.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms  errors ${r.errors}  cpu ${row.cpuUsPerReq ?? "-"} µs/req  rss ${row.rssMb} MB  new TIME_WAIT ${row.timeWaitUpstream ?? "-"}`,
  );
  return row;
}

/** One paired window of the after-proxy against `other`, logged. */
async function pairWith(other: Target, after: Target, route: Route, conns: number, flip: boolean) {
  const pair = await measurePair(other, after, route.path, route.headers, conns, duration, warmup, flip);
  console.log(
    `${route.name.padEnd(20)} c=${String(conns).padEnd(4)} paired with ${other.key.padEnd(6)} ${pair.after.toFixed(0)} / ${pair.before.toFixed(0)} req/s = ${(pair.after / pair.before).toFixed(3)}  cpu ${pair.cpuAfter} / ${pair.cpuBefore} µs/req`,
  );
  return pair;
}

/** Only pairs were measured: one row for the after-proxy, its req/s the median paired window. */
function pairedOnlyRow(route: Route, conns: number, pairs: PairSample[]): Row {
  const mid = [...pairs].sort((a, b) => a.after - b.after)[Math.floor((pairs.length - 1) / 2)]!;
  return {
    route: route.name,
    conns,
    target: "proxy",
    rps: mid.after,
    p50ms: Number.NaN,
    p99ms: Number.NaN,
    errors: 0,
    requests: 0,
    rssMb: 0,
    cpuUsPerReq: mid.cpuAfter,
    timeWaitUpstream: null,
    ratio: null,
  };
}

/**
 * Every target on one route and connection count, `rounds` times; the order
 * rotates each round. In paired mode each round then also measures the
 * after-proxy side by side with the before-proxy and with nginx.
 */
async function cell(targets: Target[], route: Route, conns: number, upPorts: number[]): Promise<Row[]> {
  const eligible = targets.filter((t) => t.key !== "direct" || route.direct);
  const samples = new Map<string, Row[]>(eligible.map((t) => [t.name, []]));
  const before = targets.find((t) => t.key === "before");
  const nginx = targets.find((t) => t.key === "nginx");
  const after = targets.find((t) => t.key === "proxy");
  const pairs = { before: [] as PairSample[], nginx: [] as PairSample[] };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; sequential && i < eligible.length; i++) {
      const t = eligible[(i + round) % eligible.length]!;
      samples.get(t.name)!.push(await measure(t, route, conns, upPorts));
    }
    if (!paired || !after) continue;
    const flip = round % 2 === 1;
    if (before) pairs.before.push(await pairWith(before, after, route, conns, flip));
    if (nginx) pairs.nginx.push(await pairWith(nginx, after, route, conns, flip));
  }
  if (!sequential) samples.set("proxy", [pairedOnlyRow(route, conns, pairs.before)]);
  return summarise(samples, beforeDir ? beforeName : null, pairs);
}

/** The commit a checkout is at, for the table's caption. */
function describeBefore(dir: string): string {
  const rev = sh(["git", "-C", dir, "rev-parse", "--short", "HEAD"]);
  return rev.ok ? `commit ${rev.out.trim()}` : dir;
}

async function main(): Promise<void> {
  ensureTools(realIpMode === "proxy-protocol" ? ["haproxy"] : []);
  const tmp = mkdtempSync(join(tmpdir(), "proxy-bench-"));
  for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(tmp, d));
  const cleanup = () => {
    stopAll();
    rmSync(tmp, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    const upPorts = [freePort(), freePort()];
    for (const p of upPorts) spawnUpstream(p);
    for (const p of upPorts) await waitHttp(`http://127.0.0.1:${p}/healthz`);
    const targets = await startTargets(tmp, upPorts);
    const rows: Row[] = [];
    for (const route of routes())
      for (const conns of connLevels) rows.push(...(await cell(targets, route, conns, upPorts)));
    if (!routeFilter || routeFilter.includes("tls")) {
      const tlsTargets: TlsTarget[] = targets.filter((t): t is Target & TlsTarget => t.tlsPort !== undefined);
      if (floorToo) tlsTargets.push(await startFloor(tmp));
      rows.push(...(await tlsCells(tlsTargets, rounds, duration, warmup)));
    }

    const kill: KillResult | null = killSeconds > 0 ? await killCheck(killSeconds) : null;
    const before = beforeDir ? describeBefore(beforeDir) : null;
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: navigator.hardwareConcurrency,
        bun: Bun.version,
        nginx: sh(["nginx", "-v"]).out.trim(),
        wrk: "wrk -t1 pinned to core 0; servers on core 1",
      },
      durationS: duration,
      rounds,
      realIp: realIpMode,
      before,
      rows,
      killCheck: kill,
    };
    const resultsDir = join(root, "scripts", "load", "results");
    mkdirSync(resultsDir, { recursive: true });
    // Partial runs (BENCH_NO_DOCS) go to a .tmp file so they never replace the published results.
    // A partial run of the HTTPS cells keeps its own file (the README's HTTPS table comes from it).
    const name =
      partial && routeFilter?.join(",") === "tls"
        ? "proxy-tls.json"
        : noDocs
          ? "proxy.json.tmp"
          : "proxy.json";
    const out = join(resultsDir, name);
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    const table = markdown(rows, { date: result.date, durationS: duration, rounds, before, paired }, kill);
    if (!noDocs)
      writeTable([join(root, "docs", "proxy.md"), join(root, "scripts", "load", "README-proxy.md")], table);
    console.log(`\n${realIpMode === "off" ? "" : `BENCH_REAL_IP=${realIpMode}\n`}${table}`);
  } finally {
    cleanup();
  }
}

await main();
