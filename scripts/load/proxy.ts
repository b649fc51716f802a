import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { proxyRuntimeEnv } from "../../proxy/runtime-env.ts";

/**
 * Proxy benchmark: direct to one app instance vs nginx vs our proxy (raw engine
 * and the http-proxy engine), measured alternately in one run with wrk pinned
 * to core 0 and every server on core 1. `bun scripts/load/proxy.ts`
 *
 * Env: BENCH_DURATION (s, default 5), BENCH_CONNS (default "64,256"),
 * BENCH_KILL_SECONDS (default 20; 0 skips the kill-one-of-three check),
 * BENCH_ROUNDS (default 3: every cell is measured this many times, interleaved,
 * and the median reported), BENCH_ROUTES (small,large,large-gzip,static) and
 * BENCH_TARGETS (direct,nginx,raw,http-proxy) to run a subset.
 * Writes scripts/load/results/proxy.json and the table in docs/proxy.md and
 * scripts/load/README-proxy.md.
 */

const root = resolve(import.meta.dir, "..", "..");
const duration = Number(process.env.BENCH_DURATION ?? 5);
const connLevels = (process.env.BENCH_CONNS ?? "64,256").split(",").map(Number);
const killSeconds = Number(process.env.BENCH_KILL_SECONDS ?? 20);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const routeFilter = process.env.BENCH_ROUTES?.split(",");
const targetFilter = process.env.BENCH_TARGETS?.split(",");

// ---------- upstream mode: `bun scripts/load/proxy.ts --upstream <port>` ----------

if (process.argv[2] === "--upstream") {
  const { Hono } = await import("hono");
  const port = Number(process.argv[3]);
  const small = JSON.stringify({
    id: 1042,
    sku: "TSHIRT-BLK-M",
    name: "T-shirt, black, M",
    price: { amount: 1999, currency: "EUR" },
    stock: 17,
    tags: ["apparel", "cotton"],
    updatedAt: "2026-01-01T00:00:00Z",
  });
  const items = [];
  for (let i = 0; items.length === 0 || JSON.stringify(items).length < 20_000; i++)
    items.push({
      id: i,
      sku: `SKU-${i}`,
      name: `Product number ${i}`,
      price: { amount: 999 + i, currency: "EUR" },
      stock: i % 50,
    });
  const large = JSON.stringify({ items, total: items.length });
  const app = new Hono();
  app.get("/api/small", (c) => c.body(small, 200, { "content-type": "application/json" }));
  app.get("/api/large", (c) => c.body(large, 200, { "content-type": "application/json" }));
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  Bun.serve({ port, hostname: "127.0.0.1", fetch: app.fetch, idleTimeout: 30 });
  console.log(JSON.stringify({ ready: port, small: small.length, large: large.length }));
  await new Promise(() => {});
}

// ---------- helpers ----------

function sh(cmd: string[]): { ok: boolean; out: string } {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  return { ok: r.exitCode === 0, out: r.stdout.toString() + r.stderr.toString() };
}

function ensureTools(): void {
  const missing = ["wrk", "nginx", "taskset", "ss"].filter((t) => !sh(["sh", "-c", `command -v ${t}`]).ok);
  if (!missing.length) return;
  console.log(`installing ${missing.join(", ")} with apt-get …`);
  sh(["apt-get", "update", "-qq"]);
  const pkgs = ["wrk", "nginx-light", "util-linux", "iproute2"];
  if (!sh(["apt-get", "install", "-y", "-qq", ...pkgs]).ok)
    sh(["apt-get", "install", "-y", "-qq", "wrk", "nginx", "util-linux", "iproute2"]);
}

function freePort(): number {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = l.port;
  l.stop(true);
  return p;
}

const procs: Subprocess[] = [];
function spawn(cmd: string[], env: Record<string, string> = {}): Subprocess {
  const p = Bun.spawn(cmd, {
    env: { ...process.env, ...env },
    stdout: "ignore",
    stderr: "inherit",
    cwd: root,
  });
  procs.push(p);
  return p;
}

async function waitHttp(url: string, timeoutMs = 15_000): Promise<void> {
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

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** user+system CPU seconds consumed so far by these processes. */
function cpuSeconds(pids: number[]): number {
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

function childPids(pid: number): number[] {
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

const portOf = (endpoint: string): number => Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));

/**
 * TIME_WAIT sockets of connections to the upstreams, keyed by both endpoints,
 * with the proxy-side endpoint (whichever end is not an upstream port).
 */
function timeWaitSockets(ports: number[]): Map<string, string> {
  const out = sh(["taskset", "-c", "0", "ss", "-Htan", "state", "time-wait"]).out;
  const found = new Map<string, string>();
  for (const line of out.split("\n")) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) continue;
    const [local, peer] = cols.slice(-2) as [string, string];
    if (ports.includes(portOf(peer))) found.set(`${local} ${peer}`, local);
    else if (ports.includes(portOf(local))) found.set(`${local} ${peer}`, peer);
  }
  return found;
}

/** Proxy-side endpoints of the established connections `pids` hold to the upstreams. */
function upstreamSockets(pids: number[], ports: number[]): string[] {
  const out = sh(["taskset", "-c", "0", "ss", "-Htnp", "state", "established"]).out;
  const found: string[] = [];
  for (const line of out.split("\n")) {
    const m = /(\S+:\d+)\s+(\S+:\d+)\s+users:\((.*)\)/.exec(line);
    if (!m || !ports.includes(portOf(m[2]!))) continue;
    const owners = [...m[3]!.matchAll(/pid=(\d+)/g)].map((x) => Number(x[1]));
    if (owners.some((p) => pids.includes(p))) found.push(m[1]!);
  }
  return found;
}

/**
 * Which target held each proxy-side endpoint. Targets are measured in turn, so
 * another target's idle keep-alive sockets may be closed (and enter TIME_WAIT)
 * while this one runs; those are not this target's churn.
 */
const socketOwner = new Map<string, string>();
function noteUpstreamSockets(target: string, pids: number[], ports: number[]): void {
  for (const s of upstreamSockets(pids, ports)) socketOwner.set(s, target);
}

/** Upstream connections that entered TIME_WAIT since `before`, except those another target held. */
function newTimeWait(target: string, before: Map<string, string>, ports: number[]): number {
  let n = 0;
  for (const [key, proxySide] of timeWaitSockets(ports)) {
    if (before.has(key)) continue;
    const owner = socketOwner.get(proxySide);
    if (owner === undefined || owner === target) n++;
  }
  return n;
}

interface WrkResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  requests: number;
}

const toMs = (v: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
};

async function wrk(url: string, conns: number, seconds: number, headers: string[] = []): Promise<WrkResult> {
  const args = [
    "taskset",
    "-c",
    "0",
    "wrk",
    "-t1",
    `-c${conns}`,
    `-d${seconds}s`,
    "--latency",
    "--timeout",
    "5s",
  ];
  for (const h of headers) args.push("-H", h);
  args.push(url);
  const p = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  await p.exited;
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const sockErr = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50ms: toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ""),
    p99ms: toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ""),
    errors: sockErr + num(/Non-2xx or 3xx responses:\s+(\d+)/),
    requests: num(/(\d+) requests in/),
  };
}

function nginxConf(dir: string, port: number, ups: number[]): string {
  const web = join(root, "web");
  return `worker_processes 1;
user root root;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 8192; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  server_tokens off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  upstream app {
    ${ups.map((p) => `server 127.0.0.1:${p};`).join("\n    ")}
    keepalive 512;
    keepalive_requests 1000000;
  }
  gzip on;
  gzip_comp_level 5;
  gzip_min_length 1024;
  gzip_proxied any;
  gzip_vary on;
  gzip_types application/json application/problem+json text/css application/javascript text/javascript image/svg+xml;
  server {
    listen 127.0.0.1:${port} reuseport backlog=4096;
    add_header X-Content-Type-Options nosniff always;
    add_header X-Frame-Options DENY always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;
    add_header Content-Security-Policy "default-src 'self'" always;
    add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always;
    add_header X-Request-Id $request_id always;
    client_max_body_size 10m;
    location /api/ {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-Id $request_id;
      proxy_hide_header Server;
    }
    location / {
      root ${web};
      etag on;
      open_file_cache max=1000 inactive=60s;
    }
  }
}
`;
}

// ---------- main ----------

interface Row extends WrkResult {
  route: string;
  conns: number;
  target: string;
  rssMb: number;
  /** CPU time of the proxy process(es) per request, in µs: robust to a noisy machine */
  cpuUsPerReq: number | null;
  timeWaitUpstream: number | null;
  ratio: number | null;
  /** req/s of every round */
  samples?: number[];
}

async function main(): Promise<void> {
  ensureTools();
  const tmp = mkdtempSync(join(tmpdir(), "proxy-bench-"));
  for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(tmp, d));
  const cleanup = () => {
    // SIGTERM first: a SIGKILLed nginx master leaves its worker running.
    for (const p of procs) p.kill("SIGTERM");
    Bun.sleepSync(500);
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill(9);
    rmSync(tmp, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    const upPorts = [freePort(), freePort()];
    for (const p of upPorts)
      spawn(["taskset", "-c", "1", process.execPath, import.meta.path, "--upstream", String(p)]);
    for (const p of upPorts) await waitHttp(`http://127.0.0.1:${p}/healthz`);

    const nginxPort = freePort();
    writeFileSync(join(tmp, "nginx.conf"), nginxConf(tmp, nginxPort, upPorts));
    const nginx = spawn([
      "taskset",
      "-c",
      "1",
      "nginx",
      "-p",
      tmp,
      "-c",
      join(tmp, "nginx.conf"),
      "-g",
      "daemon off;",
    ]);
    await waitHttp(`http://127.0.0.1:${nginxPort}/api/small`);

    const proxyEnv = (engine: string, port: number) => ({
      PROXY_ENGINE: engine,
      PROXY_PORT: String(port),
      PROXY_ADMIN_PORT: String(freePort()),
      PROXY_HOST: "127.0.0.1",
      PROXY_UPSTREAMS: upPorts.map((p) => `127.0.0.1:${p}`).join(","),
      PROXY_RATE_LIMIT: "off",
      PROXY_ACCESS_LOG: "off",
      PROXY_MAX_CONNS_PER_IP: "0",
      PROXY_GZIP_LEVEL: "5",
      LOG_LEVEL: "warn",
      ...proxyRuntimeEnv,
    });
    const rawPort = freePort();
    const raw = spawn(["taskset", "-c", "1", process.execPath, "proxy/main.ts"], proxyEnv("raw", rawPort));
    const hpPort = freePort();
    const hp = spawn(
      ["taskset", "-c", "1", process.execPath, "proxy/main.ts"],
      proxyEnv("http-proxy", hpPort),
    );
    await waitHttp(`http://127.0.0.1:${rawPort}/api/small`);
    await waitHttp(`http://127.0.0.1:${hpPort}/api/small`);

    const staticFile = readdirSync(join(root, "web", "static")).find((f) => f.endsWith(".js"));
    const routes = [
      {
        key: "small",
        name: "small JSON (~200 B)",
        path: "/api/small",
        headers: [] as string[],
        direct: true,
      },
      { key: "large", name: "20 KB JSON", path: "/api/large", headers: [], direct: true },
      {
        key: "large-gzip",
        name: "20 KB JSON, gzip",
        path: "/api/large",
        headers: ["Accept-Encoding: gzip"],
        direct: true,
      },
      { key: "static", name: "static file", path: `/static/${staticFile}`, headers: [], direct: false },
    ].filter((r) => !routeFilter || routeFilter.includes(r.key));
    const targets = [
      { key: "direct", name: "direct", port: upPorts[0]!, pids: () => [] as number[] },
      { key: "nginx", name: "nginx", port: nginxPort, pids: () => [nginx.pid, ...childPids(nginx.pid)] },
      { key: "raw", name: "proxy (raw)", port: rawPort, pids: () => [raw.pid] },
      { key: "http-proxy", name: "proxy (http-proxy)", port: hpPort, pids: () => [hp.pid] },
    ].filter((t) => !targetFilter || targetFilter.includes(t.key) || t.key === "nginx");

    const rows: Row[] = [];
    for (const route of routes)
      for (const conns of connLevels) {
        const samples = new Map<string, Row[]>();
        for (let round = 0; round < rounds; round++)
          for (const t of targets) {
            if (t.name === "direct" && !route.direct) continue;
            const url = `http://127.0.0.1:${t.port}${route.path}`;
            await wrk(url, conns, 2, route.headers); // warm-up: JIT, pools
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
              cpuUsPerReq:
                t.name === "direct" || !r.requests ? null : Math.round((cpu / r.requests) * 1e7) / 10,
              timeWaitUpstream: t.name === "direct" ? null : newTw,
              ratio: null,
            };
            samples.set(t.name, [...(samples.get(t.name) ?? []), row]);
            console.log(
              `${route.name.padEnd(20)} c=${String(conns).padEnd(4)} ${t.name.padEnd(19)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms  errors ${r.errors}  cpu ${row.cpuUsPerReq ?? "-"} µs/req  rss ${row.rssMb} MB  new TIME_WAIT ${row.timeWaitUpstream ?? "-"}`,
            );
          }
        // The ratio is the median of same-round ratios: neighbours on a shared machine move both together.
        const ngList = samples.get("nginx") ?? [];
        for (const list of samples.values()) {
          const row = medianRow(list);
          const ratios = list
            .map((r, i) => (ngList[i]?.rps ? r.rps / ngList[i]!.rps : Number.NaN))
            .filter((x) => !Number.isNaN(x))
            .sort((a, b) => a - b);
          row.ratio = ratios.length
            ? Math.round(ratios[Math.floor((ratios.length - 1) / 2)]! * 100) / 100
            : null;
          row.cpuUsPerReq = median(list.map((r) => r.cpuUsPerReq));
          rows.push(row);
        }
      }

    let kill: Record<string, unknown> | null = null;
    if (killSeconds > 0) kill = await killCheck(killSeconds);

    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: navigator.hardwareConcurrency,
        bun: Bun.version,
        nginx: sh(["nginx", "-v"]).out.trim(),
        wrk: "wrk -t1 pinned to core 0; servers on core 1",
      },
      durationS: duration,
      rows,
      killCheck: kill,
    };
    mkdirSync(join(root, "scripts", "load", "results"), { recursive: true });
    // Partial runs (BENCH_NO_DOCS) go to a .tmp file so they never replace the published results.
    writeFileSync(
      join(root, "scripts", "load", "results", process.env.BENCH_NO_DOCS ? "proxy.json.tmp" : "proxy.json"),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    const table = markdown(result.rows, result, kill);
    for (const file of process.env.BENCH_NO_DOCS
      ? []
      : [join(root, "docs", "proxy.md"), join(root, "scripts", "load", "README-proxy.md")]) {
      if (!existsSync(file)) continue;
      const text = readFileSync(file, "utf8");
      const start = "<!-- bench:start -->";
      const end = "<!-- bench:end -->";
      const i = text.indexOf(start);
      const j = text.indexOf(end);
      if (i >= 0 && j > i)
        writeFileSync(file, `${text.slice(0, i + start.length)}\n${table}\n${text.slice(j)}`);
    }
    console.log(`\n${table}`);
  } finally {
    cleanup();
  }
}

/** Three upstreams behind our proxy, wrk for `seconds`, one upstream SIGKILLed a third of the way in. */
async function killCheck(seconds: number): Promise<Record<string, unknown>> {
  const ports = [freePort(), freePort(), freePort()];
  const ups = ports.map((p) =>
    spawn(["taskset", "-c", "1", process.execPath, import.meta.path, "--upstream", String(p)]),
  );
  for (const p of ports) await waitHttp(`http://127.0.0.1:${p}/healthz`);
  const port = freePort();
  spawn(["taskset", "-c", "1", process.execPath, "proxy/main.ts"], {
    PROXY_PORT: String(port),
    PROXY_ADMIN_PORT: String(freePort()),
    PROXY_HOST: "127.0.0.1",
    PROXY_UPSTREAMS: ports.map((p) => `127.0.0.1:${p}`).join(","),
    PROXY_RATE_LIMIT: "off",
    PROXY_ACCESS_LOG: "off",
    PROXY_MAX_CONNS_PER_IP: "0",
    LOG_LEVEL: "error",
    ...proxyRuntimeEnv,
  });
  await waitHttp(`http://127.0.0.1:${port}/api/small`);
  const run = wrk(`http://127.0.0.1:${port}/api/small`, 64, seconds);
  await Bun.sleep((seconds * 1000) / 3);
  ups[1]!.kill(9);
  const r = await run;
  for (const u of ups) u.kill(9);
  console.log(
    `kill check: ${r.requests} GETs in ${seconds}s, one of three upstreams killed at ${(seconds / 3).toFixed(1)}s: ${r.errors} errors`,
  );
  return { seconds, killedAtS: seconds / 3, requests: r.requests, errors: r.errors, rps: r.rps };
}

function median(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)]! : null;
}

/** The median cell of repeated measurements (by req/s); errors and TIME_WAIT are summed, RSS is the largest. */
function medianRow(list: Row[]): Row {
  const sorted = [...list].sort((a, b) => a.rps - b.rps);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ...mid,
    errors: list.reduce((a, r) => a + r.errors, 0),
    rssMb: Math.max(...list.map((r) => r.rssMb)),
    timeWaitUpstream:
      mid.timeWaitUpstream === null ? null : list.reduce((a, r) => a + (r.timeWaitUpstream ?? 0), 0),
    samples: list.map((r) => Math.round(r.rps)),
  };
}

function markdown(
  rows: Row[],
  meta: { date: string; durationS: number },
  kill: Record<string, unknown> | null,
): string {
  const lines = [
    `Measured ${meta.date.slice(0, 10)}, ${meta.durationS} s per cell, median of ${rounds} interleaved rounds, wrk -t1 on core 0, servers on core 1, targets measured alternately. × nginx = median over rounds of req/s ÷ nginx req/s in the same round; CPU µs/req = user+system CPU of the proxy process(es) per request (nginx: master + worker); new upstream TIME_WAIT = connections to the upstreams closed during the run (churn), not counting idle sockets of the other targets closing meanwhile.`,
    "",
    "| route | conns | target | req/s | p50 ms | p99 ms | errors | CPU µs/req | RSS MB | new upstream TIME_WAIT | × nginx |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.route} | ${r.conns} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${r.errors} | ${r.cpuUsPerReq ?? "-"} | ${r.target === "direct" ? "-" : r.rssMb} | ${r.timeWaitUpstream ?? "-"} | ${r.ratio ?? "-"} |`,
    );
  if (kill)
    lines.push(
      "",
      `Kill check: ${kill.requests} GETs through the proxy in ${kill.seconds} s with one of three upstreams SIGKILLed at ${Number(kill.killedAtS).toFixed(1)} s → **${kill.errors} failed**.`,
    );
  return lines.join("\n");
}

await main();
