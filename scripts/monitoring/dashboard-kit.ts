/**
 * Building blocks for the provisioned Grafana dashboards (JSON model,
 * schemaVersion 39): time series and stat panels laid out two to a row, all
 * on the `DS` Prometheus datasource variable.
 */
export interface Query {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  title: string;
  queries: Query[];
  unit?: string;
  kind?: "timeseries" | "stat";
  description?: string;
  /** Full width instead of half. */
  wide?: boolean;
  /** Red from this value on (stat panels and thresholds lines). */
  red?: number;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  panels: PanelSpec[];
  /** `label_values(metric, label)` variables, each "All" by default. */
  variables?: { name: string; metric: string; label: string }[];
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template literal.
const datasource = { type: "prometheus", uid: "${DS}" };

function panel(spec: PanelSpec, id: number, x: number, y: number): Record<string, unknown> {
  const steps: { color: string; value: number | null }[] = [{ color: "green", value: null }];
  if (spec.red !== undefined) steps.push({ color: "red", value: spec.red });
  return {
    id,
    type: spec.kind ?? "timeseries",
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    datasource,
    gridPos: { h: 8, w: spec.wide ? 24 : 12, x, y },
    fieldConfig: {
      defaults: {
        unit: spec.unit ?? "short",
        thresholds: { mode: "absolute", steps },
        ...(spec.red !== undefined && spec.kind !== "stat"
          ? { custom: { thresholdsStyle: { mode: "line" } } }
          : {}),
      },
      overrides: [],
    },
    options:
      spec.kind === "stat" ? { reduceOptions: { calcs: ["lastNotNull"] } } : { legend: { showLegend: true } },
    targets: spec.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource,
      expr: q.expr,
      legendFormat: q.legend ?? "__auto",
    })),
  };
}

/** The dashboard's JSON model. */
export function dashboard(spec: DashboardSpec): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let x = 0;
  let y = 0;
  spec.panels.forEach((p, i) => {
    if (p.wide && x !== 0) {
      x = 0;
      y += 8;
    }
    panels.push(panel(p, i + 1, x, y));
    if (p.wide || x === 12) {
      x = 0;
      y += 8;
    } else x = 12;
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ["commerce"],
    schemaVersion: 39,
    editable: false,
    refresh: "30s",
    time: { from: "now-3h", to: "now" },
    templating: {
      list: [
        { name: "DS", label: "Prometheus", type: "datasource", query: "prometheus" },
        ...(spec.variables ?? []).map((v) => ({
          name: v.name,
          type: "query",
          datasource,
          query: { query: `label_values(${v.metric}, ${v.label})`, refId: "var" },
          includeAll: true,
          multi: true,
          current: { text: "All", value: "$__all" },
          refresh: 2,
        })),
      ],
    },
    panels,
  };
}

/** `histogram_quantile(q, …)` of a histogram's rate, grouped by `by` (plus `le`). */
export function quantile(q: number, bucket: string, by: string[] = [], selector = ""): string {
  const group = ["le", ...by].join(", ");
  return `histogram_quantile(${q}, sum by (${group}) (rate(${bucket}${selector}[$__rate_interval])))`;
}
