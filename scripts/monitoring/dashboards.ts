import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DashboardSpec, dashboard } from "./dashboard-kit.ts";
import { platformDashboards } from "./dashboards-platform.ts";
import { shopDashboards } from "./dashboards-shop.ts";
import { monitoringFiles } from "./files.ts";

/**
 * The provisioned Grafana dashboards. `bun scripts/monitoring/dashboards.ts`
 * writes them to compose/grafana/dashboards/*.json (committed; Grafana reads
 * the folder, see compose/grafana/provisioning/dashboards/commerce.yml).
 * scripts/monitoring/metric-names.test.ts checks that every metric a panel
 * uses is one the processes (or the listed exporters) expose.
 */
export const dashboards: DashboardSpec[] = [...platformDashboards, ...shopDashboards];

/** Writes every dashboard's JSON, formatted the way the lint step (biome) wants it. */
function writeAll(): void {
  const files = dashboards.map((spec) => {
    const file = join(monitoringFiles.dashboardsDir, `${spec.uid.replace(/^commerce-/, "")}.json`);
    writeFileSync(file, `${JSON.stringify(dashboard(spec), null, 2)}\n`);
    return file;
  });
  const biome = join(import.meta.dir, "..", "..", "node_modules", ".bin", "biome");
  Bun.spawnSync([biome, "format", "--write", ...files], { stdout: "ignore", stderr: "inherit" });
  for (const f of files) console.log(`wrote ${f}`);
}

if (import.meta.main) {
  rmSync(join(monitoringFiles.dashboardsDir, "commerce-overview.json"), { force: true });
  writeAll();
}
