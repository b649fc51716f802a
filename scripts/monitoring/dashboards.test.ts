import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { servicesRequired } from "../../db/testing.ts";
import { dashboard } from "./dashboard-kit.ts";
import { dashboards } from "./dashboards.ts";
import { dashboardQueries, monitoringFiles } from "./files.ts";

/**
 * The committed dashboard JSON is what scripts/monitoring/dashboards.ts
 * generates, covers the panels the issue asks for, and every panel query is
 * valid PromQL (promtool parses them as recording rules).
 */
// promtool runs take seconds on a busy machine: more than bun's 5 s default per test.
setDefaultTimeout(60_000);
const promtool = Bun.which("promtool");
if (!promtool && !servicesRequired())
  console.warn(
    "scripts/monitoring/dashboards.test.ts: promtool not found; panel PromQL not parsed (skipped)",
  );

test("compose/grafana/dashboards/*.json are generated from dashboards.ts (bun scripts/monitoring/dashboards.ts)", () => {
  for (const spec of dashboards) {
    const file = join(monitoringFiles.dashboardsDir, `${spec.uid.replace(/^commerce-/, "")}.json`);
    expect(JSON.parse(readFileSync(file, "utf8")), file).toEqual(dashboard(spec));
  }
});

test("the dashboards the runbook names, with the panels operators look for", () => {
  const titles = dashboards.map((d) => d.title);
  expect(titles).toEqual(
    expect.arrayContaining(["Traffic", "Upstream health", "Database", "Cache", "Events", "Checkout funnel"]),
  );
  const exprs = (title: string) =>
    dashboards
      .find((d) => d.title === title)!
      .panels.flatMap((p) => p.queries.map((q) => q.expr))
      .join("\n");
  for (const q of ["0.5", "0.95", "0.99"])
    expect(exprs("Traffic")).toContain(`histogram_quantile(${q}, sum by (le, route)`);
  expect(exprs("Upstream health")).toContain("proxy_upstream_healthy");
  expect(exprs("Database")).toContain("db_replica_lag_ms");
  expect(exprs("Database")).toContain("db_pool_waiting");
  expect(exprs("Database")).toContain("db_query_duration_seconds_bucket");
  expect(exprs("Cache")).toContain('cache_requests_total{result="hit"}');
  expect(exprs("Events")).toContain("events_dead_letters_total");
  expect(exprs("Events")).toContain("events_oldest_unpublished_age_seconds");
  for (const status of ["201", "402", "409"])
    expect(exprs("Checkout funnel")).toContain(`status="${status}"`);
});

describe.skipIf(!promtool && !servicesRequired())("panel queries parse (promtool)", () => {
  test("every panel query is valid PromQL", () => {
    const queries = dashboardQueries();
    const rules = queries.map((q, i) => ({
      record: `dashboard:query_${i}`,
      // Grafana fills these in; any valid value will do for parsing.
      expr: q.expr.replaceAll("$__rate_interval", "5m").replace(/\$\w+/g, ".*"),
    }));
    const tmp = mkdtempSync(join(tmpdir(), "dash-"));
    try {
      writeFileSync(join(tmp, "panels.yml"), JSON.stringify({ groups: [{ name: "panels", rules }] }));
      const r = Bun.spawnSync([promtool ?? "promtool", "check", "rules", "panels.yml"], {
        cwd: tmp,
        stdout: "pipe",
        stderr: "pipe",
      });
      const out = `${r.stdout.toString()}${r.stderr.toString()}`;
      expect(out).toContain(`SUCCESS: ${queries.length} rules found`);
      expect(r.exitCode).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
