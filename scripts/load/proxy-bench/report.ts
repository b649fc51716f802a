import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { PairSample } from "./paired.ts";
import type { WrkResult } from "./wrk.ts";

/** Aggregation of the benchmark rounds and the markdown table written into the docs. */

/** One cell of the table: a target on a route at a connection count. */
export interface Row extends WrkResult {
  route: string;
  conns: number;
  target: string;
  rssMb: number;
  /** CPU time of the proxy process(es) per request, in µs: robust to a noisy machine */
  cpuUsPerReq: number | null;
  timeWaitUpstream: number | null;
  /** median over rounds of req/s ÷ nginx req/s in the same round */
  ratio: number | null;
  /** median over rounds of req/s ÷ the before-proxy's req/s in the same round (BENCH_BEFORE) */
  ratioBefore?: number | null;
  /** req/s of every round */
  samples?: number[];
  /** req/s ÷ the before-proxy's req/s, round by round (BENCH_BEFORE) */
  beforeRounds?: number[];
  /** median over rounds of CPU µs/req ÷ the before-proxy's in the same round (lower is cheaper) */
  cpuRatioBefore?: number | null;
  /** the paired windows (both proxies measured at the same time), when BENCH_PAIRED */
  pairs?: PairSample[];
  /** paired windows against nginx ("before" is nginx there), and their ratios round by round */
  nginxPairs?: PairSample[];
  nginxRounds?: number[];
  /** × nginx from the sequential measurements, when the table shows the paired one */
  ratioSequential?: number | null;
}

/** Kill-check outcome. */
export interface KillResult {
  seconds: number;
  killedAtS: number;
  requests: number;
  errors: number;
  rps: number;
}

/** Median of the non-null values (lower middle for an even count). */
export function median(xs: (number | null)[]): number | null {
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
    cpuUsPerReq: median(list.map((r) => r.cpuUsPerReq)),
  };
}

const round3 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);

/** Median of same-round ratios `list[i] / reference[i]`, two decimals (three for `precise`). */
function sameRoundRatio(list: Row[], reference: Row[] | undefined, precise = false): number | null {
  if (!reference) return null;
  const m = median(list.map((r, i) => (reference[i]?.rps ? r.rps / reference[i]!.rps : null)));
  const scale = precise ? 1000 : 100;
  return m === null ? null : Math.round(m * scale) / scale;
}

/**
 * One row per target from its rounds. Ratios are medians of same-round ratios:
 * neighbours on a shared machine slow both targets of a round together.
 */
export function summarise(
  samples: Map<string, Row[]>,
  beforeName: string | null,
  pairs: { before: PairSample[]; nginx: PairSample[] } = { before: [], nginx: [] },
): Row[] {
  const nginx = samples.get("nginx");
  const before = beforeName ? samples.get(beforeName) : undefined;
  const rows: Row[] = [];
  for (const list of samples.values()) {
    if (!list.length) continue; // a target only measured in pairs (BENCH_SEQUENTIAL=0)
    const row = medianRow(list);
    row.ratio = sameRoundRatio(list, nginx);
    if (before) {
      row.ratioBefore = sameRoundRatio(list, before, true);
      row.beforeRounds = list.map(
        (r, i) => Math.round((r.rps / (before[i]?.rps || Number.NaN)) * 1000) / 1000,
      );
    }
    rows.push(row);
  }
  // Measured side by side (paired.ts): the after-proxy's ratios come from the pairs.
  const after = rows.find((r) => r.target === "proxy");
  if (after && pairs.before.length) {
    const ratios = pairs.before.map((p) => (p.before ? p.after / p.before : null));
    const cpu = pairs.before.map((p) => (p.cpuAfter && p.cpuBefore ? p.cpuAfter / p.cpuBefore : null));
    after.ratioBefore = round3(median(ratios));
    after.cpuRatioBefore = round3(median(cpu));
    after.beforeRounds = ratios.map((r) => round3(r) ?? Number.NaN);
    after.pairs = pairs.before;
  }
  if (after && pairs.nginx.length) {
    const ratios = pairs.nginx.map((p) => (p.before ? p.after / p.before : null));
    after.ratioSequential = after.ratio;
    const m = median(ratios);
    after.ratio = m === null ? null : Math.round(m * 100) / 100;
    after.nginxRounds = ratios.map((r) => round3(r) ?? Number.NaN);
    after.nginxPairs = pairs.nginx;
  }
  return rows;
}

/** The results table (and the kill check line) as markdown. */
export function markdown(
  rows: Row[],
  meta: { date: string; durationS: number; rounds: number; before: string | null; paired: boolean },
  kill: KillResult | null,
): string {
  const withBefore = meta.before !== null;
  const lines = [
    `Measured ${meta.date.slice(0, 10)}, ${meta.durationS} s per cell, median of ${meta.rounds} interleaved rounds (the order of the targets rotates every round), wrk -t1 on core 0, servers on core 1. × nginx = median over rounds of req/s ÷ nginx req/s in the same round${meta.paired ? " (for the proxy: measured side by side with nginx at the same time, like × before)" : ""}${withBefore ? `; × before = ${meta.paired ? "median over rounds of req/s ÷ the before-proxy's req/s, the two measured side by side at the same time (two wrk, both proxies on core 1), so the machine's other load hits both alike" : "the same against the before-proxy"} (before = the proxy built from ${meta.before}); CPU × before = the same ratio for CPU µs/req (lower is cheaper)` : ""}; CPU µs/req = user+system CPU of the proxy process(es) per request (nginx: master + worker); new upstream TIME_WAIT = connections to the upstreams closed during the run (churn), not counting idle sockets of the other targets closing meanwhile.`,
    "",
    `| route | conns | target | req/s | p50 ms | p99 ms | errors | CPU µs/req | RSS MB | new upstream TIME_WAIT | × nginx |${withBefore ? " × before | CPU × before |" : ""}`,
    `| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${withBefore ? " ---: | ---: |" : ""}`,
  ];
  for (const r of rows)
    lines.push(
      `| ${r.route} | ${r.conns} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${r.errors} | ${r.cpuUsPerReq ?? "-"} | ${r.target === "direct" ? "-" : r.rssMb} | ${r.timeWaitUpstream ?? "-"} | ${r.ratio ?? "-"} |${withBefore ? ` ${r.ratioBefore ?? "-"} | ${r.cpuRatioBefore ?? "-"} |` : ""}`,
    );
  if (rows.some((r) => r.route.startsWith("HTTP/2")))
    lines.push(
      "",
      "HTTPS rows: nginx `listen … ssl http2` and the proxy's TLS port, each serving HTTP/2 (h2load -t1, 16 connections × 32 streams) and HTTP/1.1 (wrk, 64 connections) on one port. h2load reports no percentiles: in its rows p50 is the mean request time and p99 the slowest.",
    );
  if (kill)
    lines.push(
      "",
      `Kill check: ${kill.requests} GETs through the proxy in ${kill.seconds} s with one of three upstreams SIGKILLed at ${kill.killedAtS.toFixed(1)} s → **${kill.errors} failed**.`,
    );
  return lines.join("\n");
}

/** Replaces the text between the bench markers of each file that has them. */
export function writeTable(files: string[], table: string): void {
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i >= 0 && j > i)
      writeFileSync(file, `${text.slice(0, i + start.length)}\n${table}\n${text.slice(j)}`);
  }
}
