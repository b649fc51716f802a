import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { YAML } from "bun";

/** Where the monitoring configuration lives (read by the monitoring tests). */
const root = join(import.meta.dir, "..", "..");
export const monitoringFiles = {
  prometheusDir: join(root, "compose", "prometheus"),
  dashboardsDir: join(root, "compose", "grafana", "dashboards"),
  exporterAllowlist: join(root, "compose", "prometheus", "exporter-metrics.txt"),
  operationsDoc: join(root, "docs", "operations.md"),
};

/** One alerting rule of compose/prometheus/rules.yml. */
export interface AlertRule {
  alert: string;
  expr: string;
  runbook: string | undefined;
}

interface RuleFile {
  groups: { rules: { alert?: string; expr: string; annotations?: Record<string, string> }[] }[];
}

/** Every alerting rule, in file order. */
export function alertRules(): AlertRule[] {
  const file = YAML.parse(readFileSync(join(monitoringFiles.prometheusDir, "rules.yml"), "utf8")) as RuleFile;
  return file.groups.flatMap((g) =>
    g.rules
      .filter((r) => r.alert)
      .map((r) => ({ alert: r.alert as string, expr: r.expr, runbook: r.annotations?.runbook })),
  );
}

/** One panel query of a provisioned dashboard. */
export interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every panel query of every dashboard JSON under compose/grafana/dashboards. */
export function dashboardQueries(): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const file of readdirSync(monitoringFiles.dashboardsDir).filter((f) => f.endsWith(".json"))) {
    const d = JSON.parse(readFileSync(join(monitoringFiles.dashboardsDir, file), "utf8")) as {
      title: string;
      panels?: Panel[];
      templating?: { list?: { query?: unknown }[] };
    };
    const walk = (panels: Panel[] = []) => {
      for (const p of panels) {
        for (const t of p.targets ?? [])
          if (t.expr) out.push({ dashboard: d.title, panel: p.title ?? "", expr: t.expr });
        walk(p.panels);
      }
    };
    walk(d.panels);
    for (const v of d.templating?.list ?? []) {
      const q = typeof v.query === "string" ? v.query : (v.query as { query?: string } | undefined)?.query;
      // label_values(metric, label): the metric must exist for the variable to have values.
      const m = q ? /label_values\(\s*([a-zA-Z_:][\w:]*)/.exec(q) : null;
      if (m) out.push({ dashboard: d.title, panel: "variable", expr: m[1]! });
    }
  }
  return out;
}

const keywords = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "and",
  "or",
  "unless",
  "offset",
  "inf",
  "nan",
]);

/**
 * The metric names a PromQL expression selects: identifiers that are not
 * functions, keywords, label names (inside `{}` or `by (…)`), ranges,
 * strings or Grafana variables.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\$\{?\w+\}?/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)) {
    const name = m[1]!;
    if (!keywords.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** Metric names the data-service exporters expose (processes the tests do not run). */
export function exporterAllowlist(): Set<string> {
  return new Set(
    readFileSync(monitoringFiles.exporterAllowlist, "utf8")
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter(Boolean),
  );
}
