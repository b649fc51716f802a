/**
 * Traffic counters for the system view's charts, read server-side from
 * Prometheus text: the proxy's admin `/metrics` (requests and their latency
 * histogram, as the proxy sees them) and each app instance's own `/metrics`
 * (page and catalog cache lookups). All values are cumulative counters; the
 * browser turns two snapshots into a request rate, an interval p99 and a hit ratio.
 */

/** One sample of the text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus text format (comments and malformed lines are skipped). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, "$1");
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** Cumulative counters the charts are drawn from. */
export interface TrafficCounters {
  /** Requests the proxy finished (every upstream, static files included). */
  requests: number;
  /**
   * Cumulative latency histogram of proxied requests: `counts[i]` requests took
   * at most `bounds[i]` seconds; the last count (one more than bounds) is +Inf.
   */
  latency: { bounds: number[]; counts: number[] };
  /** Cache lookups summed over the app instances that answered. */
  cache: { hits: number; lookups: number };
}

/** Sums the proxy's request counter and latency buckets over every upstream. */
export function proxyTraffic(samples: Sample[]): Pick<TrafficCounters, "requests" | "latency"> {
  let requests = 0;
  const buckets = new Map<number, number>();
  for (const s of samples) {
    if (s.name === "proxy_requests_total") requests += s.value;
    else if (s.name === "proxy_request_duration_seconds_bucket" && s.labels.le !== undefined) {
      const le = s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    }
  }
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  return {
    requests,
    latency: {
      bounds: sorted.filter(([le]) => Number.isFinite(le)).map(([le]) => le),
      counts: sorted.map(([, n]) => n),
    },
  };
}

/** Sums `cache_requests_total` by result: hits, and all lookups (hit, miss, coalesced). */
export function cacheTraffic(samples: Sample[]): TrafficCounters["cache"] {
  let hits = 0;
  let lookups = 0;
  for (const s of samples) {
    if (s.name !== "cache_requests_total") continue;
    lookups += s.value;
    if (s.labels.result === "hit") hits += s.value;
  }
  return { hits, lookups };
}

async function scrape(url: string): Promise<Sample[] | null> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.ok ? parseMetrics(await r.text()) : null;
  } catch {
    return null;
  }
}

/**
 * Reads the counters: the proxy's admin endpoint (private, never published) and
 * the instances the proxy lists (their own ports, where `/metrics` answers
 * because the request does not come through the proxy). Null when the proxy
 * did not answer.
 */
export async function readTraffic(proxyAdmin: string, instances: string[]): Promise<TrafficCounters | null> {
  const [proxy, ...apps] = await Promise.all([
    scrape(`${proxyAdmin}/metrics`),
    ...instances.map((id) => scrape(`http://${id}/metrics`)),
  ]);
  if (!proxy) return null;
  return { ...proxyTraffic(proxy), cache: cacheTraffic(apps.flatMap((a) => a ?? [])) };
}

/** Base URL of the proxy's admin endpoint as this instance reaches it. */
export function proxyAdminBase(config: { PROXY_ADMIN_URL?: string; PROXY_ADMIN_PORT: number }): string {
  return (config.PROXY_ADMIN_URL ?? `http://127.0.0.1:${config.PROXY_ADMIN_PORT}`).replace(/\/+$/, "");
}
