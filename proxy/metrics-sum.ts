/**
 * Sums Prometheus text expositions of the worker processes
 * (`PROXY_WORKERS`) into one: every sample with the same name and labels is
 * added up, so counters and histograms read as for one process. Gauges are
 * added too: open connections and in-flight requests sum as they should; a
 * 0/1 state gauge (`proxy_upstream_healthy`, `proxy_rate_limit_local_fallback`)
 * becomes the number of workers in that state.
 */

/** One exposition made of the samples of all `texts`, in order of first appearance. */
export function sumExpositions(texts: string[]): string {
  const comments = new Map<string, string[]>();
  const order: string[] = [];
  const totals = new Map<string, number>();
  for (const text of texts)
    for (const line of text.split("\n")) {
      if (!line) continue;
      if (line.startsWith("#")) {
        // "# HELP name …" / "# TYPE name …": kept once per metric name, before its first sample.
        const name = line.split(" ")[2] ?? "";
        const list = comments.get(name) ?? [];
        if (!list.includes(line)) list.push(line);
        comments.set(name, list);
        continue;
      }
      const cut = line.lastIndexOf(" ");
      const series = line.slice(0, cut);
      const value = Number(line.slice(cut + 1));
      if (cut < 0 || Number.isNaN(value)) continue;
      if (!totals.has(series)) order.push(series);
      totals.set(series, (totals.get(series) ?? 0) + value);
    }
  const out: string[] = [];
  const introduced = new Set<string>();
  for (const series of order) {
    const name = metricName(series);
    const family = familyOf(name, comments);
    if (!introduced.has(family)) {
      introduced.add(family);
      out.push(...(comments.get(family) ?? []));
    }
    out.push(`${series} ${totals.get(series)}`);
  }
  return `${out.join("\n")}\n`;
}

function metricName(series: string): string {
  const brace = series.indexOf("{");
  return brace < 0 ? series : series.slice(0, brace);
}

/** The family a sample belongs to: a histogram's `_bucket`/`_sum`/`_count` share their base's comments. */
function familyOf(name: string, comments: Map<string, string[]>): string {
  if (comments.has(name)) return name;
  for (const suffix of ["_bucket", "_sum", "_count"])
    if (name.endsWith(suffix) && comments.has(name.slice(0, -suffix.length)))
      return name.slice(0, -suffix.length);
  return name;
}
