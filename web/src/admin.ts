import uPlot from "uplot";

/**
 * The console's system view: polls `/admin/system.json` every two seconds and
 * draws per-instance latency and in-flight requests, the event backlog and
 * replica lag as moving uPlot charts (the page already shows a snapshot without it).
 */
interface Snapshot {
  at: number;
  upstreams: { id: string; active: number; ewmaMs: number }[] | null;
  replicas: { name: string; lag_ms?: number }[];
  backlog: number;
}

const WINDOW = 90; // points kept: three minutes at one every two seconds
const times: number[] = [];
const series = new Map<string, number[]>();

function push(key: string, value: number) {
  let s = series.get(key);
  if (!s) {
    s = new Array(Math.max(0, times.length - 1)).fill(null);
    series.set(key, s);
  }
  s.push(value);
  if (s.length > WINDOW) s.shift();
}

const charts = new Map<string, uPlot>();

function draw(id: string, keys: string[]) {
  const el = document.getElementById(id);
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
  };
  charts.set(id, new uPlot(opts, data, el));
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
  draw("chart-backlog", ["backlog", ...s.replicas.map((rep) => `lag ${rep.name}`)]);
}

if (document.getElementById("chart-latency")) {
  void tick();
  setInterval(() => void tick(), 2000);
}
