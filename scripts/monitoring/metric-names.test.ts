import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { createTestDatabase, servicesRequired, type TestDatabase } from "../../db/testing.ts";
import { freePort, watchJsonLines } from "../../proxy/testing/helpers.ts";
import { type AppProcess, minimalEnv, startAppProcess } from "../../server/testing/app-process.ts";
import { alertRules, dashboardQueries, exporterAllowlist, metricNamesIn } from "./files.ts";

/**
 * Every metric an alert rule or a dashboard panel uses is one that is really
 * exposed: the real proxy, app instance and workers processes are started
 * (`bun proxy/main.ts`, `server/main.ts`, `workers/main.ts`) and their
 * `/metrics` output is read. Metrics of the data-service exporters and
 * Prometheus itself, which the tests do not run, come from the allowlist
 * compose/prometheus/exporter-metrics.txt.
 */
setDefaultTimeout(90_000);
const root = join(import.meta.dir, "..", "..");

let database: TestDatabase;
let app: AppProcess;
const children: Subprocess[] = [];
const scraped = new Map<string, string>();

/** Starts `entry` and resolves with the first JSON log line `pick` accepts (started, with its ports). */
async function spawnLogged(
  entry: string,
  env: Record<string, string>,
  pick: (l: Record<string, unknown>) => boolean,
) {
  const proc = Bun.spawn([process.execPath, join(root, entry)], {
    cwd: root,
    env: minimalEnv({ ...env, LOG_LEVEL: "info" }),
    stdout: "pipe",
    stderr: "pipe",
  });
  children.push(proc);
  const logs = watchJsonLines(proc, [proc.stdout, proc.stderr]);
  return logs.waitFor(pick, 30_000);
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
}

beforeAll(async () => {
  database = await createTestDatabase("metricnames");
  app = await startAppProcess({ DATABASE_URL: database.url });

  const workersStarted = await spawnLogged(
    "workers/main.ts",
    { DATABASE_URL: database.url, DATABASE_POOL_MAX: "2", WORKERS_HEALTH_PORT: "0" },
    (l) => l.msg === "workers running",
  );
  const workersPort = Number(workersStarted.health_port);

  const proxyPort = freePort();
  const adminPort = freePort();
  await spawnLogged(
    "proxy/main.ts",
    {
      PROXY_UPSTREAMS: `127.0.0.1:${app.port}`,
      PROXY_PORT: String(proxyPort),
      PROXY_ADMIN_PORT: String(adminPort),
      PROXY_HOST: "127.0.0.1",
      PROXY_RATE_LIMIT: "off",
      PROXY_ACCESS_LOG: "off",
    },
    (l) => l.msg === "proxy listening",
  );

  // Some traffic, so that per-request series have samples as well as their TYPE lines.
  for (const path of ["/api/catalog/products", "/api/cart", "/healthz"])
    await (await fetch(`http://127.0.0.1:${proxyPort}${path}`)).arrayBuffer();

  scraped.set("proxy", await scrape(`http://127.0.0.1:${adminPort}/metrics`));
  scraped.set("app", await scrape(`${app.base}/metrics`));
  scraped.set("workers", await scrape(`http://127.0.0.1:${workersPort}/metrics`));
});

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
  await app?.kill();
  await database?.drop();
});

/** Names a scrape exposes: each sample's name, and each declared histogram's _bucket/_sum/_count. */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\w+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      names.add(name);
      if (kind === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(`${name}${s}`);
      if (kind === "summary") for (const s of ["_sum", "_count"]) names.add(`${name}${s}`);
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}

const used = (): { name: string; where: string }[] => [
  ...alertRules().flatMap((r) => metricNamesIn(r.expr).map((name) => ({ name, where: `alert ${r.alert}` }))),
  ...dashboardQueries().flatMap((q) =>
    metricNamesIn(q.expr).map((name) => ({ name, where: `dashboard "${q.dashboard}" / "${q.panel}"` })),
  ),
];

describe("metric names in rules and dashboards", () => {
  test("every process kind exposes CPU, resident memory and event-loop delay", () => {
    for (const [kind, text] of scraped) {
      const names = exposedNames(text);
      for (const n of [
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_event_loop_delay_seconds_bucket",
        "process_event_loop_delay_max_seconds",
      ])
        expect(names.has(n), `${kind}: ${n}`).toBe(true);
    }
  });

  test("statement and pool series in the app and the workers; event series in the workers", () => {
    for (const kind of ["app", "workers"]) {
      const text = scraped.get(kind)!;
      expect(text, kind).toMatch(
        /db_query_duration_seconds_count\{pool="primary",statement="[a-z-]+\.[\w:-]+"\} \d+/,
      );
      expect(text, kind).toContain('db_pool_connections_in_use{pool="primary"}');
    }
    // Named by the function that wrote the statement (the catalog's list or search-index reads), not by its text.
    expect(scraped.get("app")).toMatch(
      /db_query_duration_seconds_count\{pool="primary",statement="catalog\.[A-Za-z]+"\} \d+/,
    );
    const workers = exposedNames(scraped.get("workers")!);
    for (const n of [
      "events_oldest_unpublished_age_seconds",
      "events_processing_seconds_bucket",
      "events_dead_letters_total",
    ])
      expect(workers.has(n), n).toBe(true);
  });

  test("every metric an alert or a panel uses is exposed (or an allowlisted exporter metric)", () => {
    const exposed = new Set<string>();
    for (const text of scraped.values()) for (const n of exposedNames(text)) exposed.add(n);
    const allow = exporterAllowlist();
    const uses = used();
    expect(uses.length).toBeGreaterThan(80);
    const missing = uses.filter((u) => !exposed.has(u.name) && !allow.has(u.name));
    expect(missing).toEqual([]);
  });

  test("the allowlist names only exporter metrics in use (none of ours, none stale)", () => {
    const exposed = new Set<string>();
    for (const text of scraped.values()) for (const n of exposedNames(text)) exposed.add(n);
    const names = new Set(used().map((u) => u.name));
    for (const a of exporterAllowlist()) {
      expect(exposed.has(a), `${a} is exposed by our processes: remove it from the allowlist`).toBe(false);
      expect(names.has(a), `${a} is used by no rule or panel`).toBe(true);
    }
  });

  test.skipIf(!Bun.which("promtool") && !servicesRequired())(
    "each /metrics output passes `promtool check metrics` (format and naming lint)",
    () => {
      for (const [kind, text] of scraped) {
        const r = Bun.spawnSync([Bun.which("promtool") ?? "promtool", "check", "metrics"], {
          stdin: new TextEncoder().encode(text),
          stdout: "pipe",
          stderr: "pipe",
        });
        expect(`${r.stdout.toString()}${r.stderr.toString()}`, kind).toBe("");
        expect(r.exitCode, kind).toBe(0);
      }
    },
  );

  test("the check fails on a name no process exposes", () => {
    const exposed = exposedNames(scraped.get("app")!);
    expect(metricNamesIn("rate(http_requests_totl[5m])").filter((n) => !exposed.has(n))).toEqual([
      "http_requests_totl",
    ]);
  });
});
