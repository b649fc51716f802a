import uPlot from "uplot";
import { type Histogram, intervalP99, intervalRatio } from "./p99";

/**
 * The console's system view: polls `/admin/system.json` every two seconds and
 * draws the request rate, p99 latency and cache hit ratio (from the cumulative
 * counters of two consecutive snapshots), per-instance latency and in-flight
 * requests, the event backlog and replica lag as moving uPlot charts (the page
 * already shows a snapshot without it).
 */
interface Snapshot {
  at: number;
  upstreams: { id: string; active: number; ewmaMs: number }[] | null;
  replicas: { name: string; lag_ms?: number }[];
  backlog: number;
  traffic: { requests: number; latency: Histogram; cache: { hits: number; lookups: number } } | null;
}

let previous: Snapshot | null = null;

const WINDOW = 90; // points kept: three minutes at one every two seconds
const times: number[] = [];
const series = new Map<string, (number | null)[]>();

function push(key: string, value: number | null) {
  let s = series.get(key);
  if (!s) {
    s = new Array(Math.max(0, times.length - 1)).fill(null);
    series.set(key, s);
  }
  s.push(value);
  if (s.length > WINDOW) s.shift();
}

const charts = new Map<string, uPlot>();

/** Writes the newest value of the chart's first series beside its caption (text for screen readers and tests). */
function showLatest(id: string, key: string | undefined) {
  const out = document.getElementById(`${id}-now`);
  const v = key === undefined ? undefined : series.get(key)?.at(-1);
  if (out) out.textContent = v === null || v === undefined ? "–" : v.toFixed(v < 10 ? 2 : 0);
}

function draw(id: string, keys: string[]) {
  const el = document.getElementById(id);
  showLatest(id, keys[0]);
  if (!el || !keys.length) return;
  const data = [times, ...keys.map((k) => series.get(k) ?? [])] as uPlot.AlignedData;
  const existing = charts.get(id);
  if (existing && existing.series.length === keys.length + 1) {
    existing.setData(data);
    return;
  }
  existing?.destroy();
  const palette = ["#0550ae", "#bf3989", "#116329", "#953800", "#6639ba"];
  const opts: uPlot.Options = {
    width: Math.min(640, el.clientWidth || 640),
    height: 180,
    series: [{}, ...keys.map((k, i) => ({ label: k, stroke: palette[i % palette.length], width: 2 }))],
    // a percentage keeps its 0-100 axis instead of one stretched to the data
    ...(id === "chart-cache" ? { scales: { y: { range: [0, 100] as uPlot.Range.MinMax } } } : {}),
  };
  charts.set(id, new uPlot(opts, data, el));
}

/** Rate, p99 and hit ratio over the interval since the previous snapshot (null points are gaps). */
function pushTraffic(s: Snapshot) {
  const a = previous?.traffic;
  const b = s.traffic;
  const seconds = previous ? (s.at - previous.at) / 1000 : 0;
  const rate = a && b && seconds > 0 && b.requests >= a.requests ? (b.requests - a.requests) / seconds : null;
  const p99 = a && b ? intervalP99(a.latency, b.latency) : null;
  const hits = a && b ? intervalRatio(a.cache, b.cache) : null;
  push("requests/s", rate);
  push("p99 ms", p99 === null ? null : p99 * 1000);
  push("hit %", hits === null ? null : hits * 100);
  previous = s;
}

async function tick() {
  const r = await fetch("/admin/system.json", { headers: { accept: "application/json" } });
  if (!r.ok) return;
  const s = (await r.json()) as Snapshot;
  times.push(s.at / 1000);
  if (times.length > WINDOW) times.shift();
  const ups = s.upstreams ?? [];
  for (const u of ups) {
    push(`latency ${u.id}`, u.ewmaMs);
    push(`active ${u.id}`, u.active);
  }
  pushTraffic(s);
  push("backlog", s.backlog);
  for (const rep of s.replicas) push(`lag ${rep.name}`, rep.lag_ms ?? 0);
  draw(
    "chart-latency",
    ups.map((u) => `latency ${u.id}`),
  );
  draw(
    "chart-active",
    ups.map((u) => `active ${u.id}`),
  );
  draw("chart-rate", ["requests/s"]);
  draw("chart-p99", ["p99 ms"]);
  draw("chart-cache", ["hit %"]);
  draw("chart-backlog", ["backlog", ...s.replicas.map((rep) => `lag ${rep.name}`)]);
}

if (document.getElementById("chart-latency")) {
  void tick();
  setInterval(() => void tick(), 2000);
}
