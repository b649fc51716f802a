import { defaultBuckets, Registry } from "../platform/metrics.ts";
import { registerProcessMetrics } from "../platform/process-metrics.ts";
import type { Upstream } from "./upstream.ts";

/**
 * The proxy's Prometheus metrics. Per-request series are kept in flat arrays
 * keyed by a precomputed string and rendered by hand: the shared Registry
 * builds label keys on every `inc`, which costs a noticeable share of the
 * ~10 µs the proxy spends per request. Rare events use the Registry.
 */
interface UpstreamSeries {
  byStatus: Map<number, number>;
  buckets: Float64Array;
  sum: number;
  count: number;
}

export class ProxyMetrics {
  readonly registry = new Registry();
  /** per upstream: counts by status, and latency counts per bucket (not cumulative: summed when rendered) */
  private readonly series = new Map<string, UpstreamSeries>();
  readonly rateLimited = this.registry.counter(
    "proxy_rate_limited_total",
    "Requests rejected by the rate limiter",
  );
  readonly retries = this.registry.counter("proxy_retries_total", "Requests retried on another upstream");
  readonly upstreamFailures = this.registry.counter(
    "proxy_upstream_failures_total",
    "Connect errors and connections lost before a response",
  );
  readonly rateLimitFallback = this.registry.gauge(
    "proxy_rate_limit_local_fallback",
    "1 while the rate limiter uses in-process buckets because Redis is unreachable",
  );
  readonly h2Cut = this.registry.counter(
    "proxy_h2_connections_cut_total",
    "HTTP/2 connections cut by the frame guard or the sweep (reason: rapid-reset, continuation-flood, control-flood, protocol, header-timeout), and streams reset because their frames could not leave (stalled)",
  );
  /** HTTP/2 connections (also counted in `proxy_client_connections`) */
  h2Connections = 0;
  readonly proxyProtocolRefused = this.registry.counter(
    "proxy_proxy_protocol_refused_total",
    "Connections closed on a PROXY protocol listener: peer not trusted, header missing or malformed, or not from the relay",
  );
  clientConnections = 0;

  /** what the static-file cache holds, for `proxy_memory_bytes{part="static_cache"}` */
  staticCacheBytes: () => number = () => 0;

  constructor(upstreams: () => readonly Upstream[], poolIdle: (u: Upstream) => number) {
    const now = () => Date.now();
    registerProcessMetrics(this.registry);
    this.registry.gauge(
      "proxy_upstream_healthy",
      "1 when the upstream passes health checks and is not ejected",
      (g) => {
        for (const u of upstreams()) g.set({ upstream: u.id }, u.available(now()) ? 1 : 0);
      },
    );
    this.registry.gauge("proxy_upstream_active_requests", "Requests in flight per upstream", (g) => {
      for (const u of upstreams()) g.set({ upstream: u.id }, u.active);
    });
    this.registry.gauge("proxy_upstream_pool_open", "Open sockets per upstream", (g) => {
      for (const u of upstreams()) g.set({ upstream: u.id }, u.open);
    });
    this.registry.gauge("proxy_upstream_pool_idle", "Idle keep-alive sockets per upstream", (g) => {
      for (const u of upstreams()) g.set({ upstream: u.id }, poolIdle(u));
    });
    this.registry.gauge("proxy_client_connections", "Open client connections", (g) => {
      g.set({}, this.clientConnections);
    });
    this.registry.gauge("proxy_h2_connections", "Open HTTP/2 client connections", (g) => {
      g.set({}, this.h2Connections);
    });
    // Where the resident memory goes (issue 18 item 3), read when scraped.
    this.registry.gauge(
      "proxy_memory_bytes",
      "Memory by part: rss (resident), js_heap_used, js_heap_total, external (buffers outside the JS heap), array_buffers, static_cache",
      (g) => {
        const m = process.memoryUsage();
        g.set({ part: "rss" }, m.rss);
        g.set({ part: "js_heap_used" }, m.heapUsed);
        g.set({ part: "js_heap_total" }, m.heapTotal);
        g.set({ part: "external" }, m.external);
        g.set({ part: "array_buffers" }, m.arrayBuffers);
        g.set({ part: "static_cache" }, this.staticCacheBytes());
      },
    );
  }

  /** Counts one finished request. `upstream` is "static" or "local" for answers made by the proxy. */
  request(upstream: string, status: number, seconds: number): void {
    let u = this.series.get(upstream);
    if (!u) {
      u = { byStatus: new Map(), buckets: new Float64Array(defaultBuckets.length + 1), sum: 0, count: 0 };
      this.series.set(upstream, u);
    }
    u.byStatus.set(status, (u.byStatus.get(status) ?? 0) + 1);
    // One increment in the first bucket that holds the value; the last slot is +Inf.
    let i = 0;
    while (i < defaultBuckets.length && seconds > defaultBuckets[i]!) i++;
    u.buckets[i]!++;
    u.sum += seconds;
    u.count++;
  }

  /** Count of finished requests for an upstream and status (tests). */
  requestCount(upstream: string, status: number): number {
    return this.series.get(upstream)?.byStatus.get(status) ?? 0;
  }

  render(): string {
    const lines = [
      "# HELP proxy_requests_total Requests by upstream and status",
      "# TYPE proxy_requests_total counter",
    ];
    for (const [u, series] of this.series)
      for (const [s, v] of series.byStatus)
        lines.push(`proxy_requests_total{upstream="${u}",status="${s}"} ${v}`);
    lines.push(
      "# HELP proxy_request_duration_seconds Time from request head to end of response",
      "# TYPE proxy_request_duration_seconds histogram",
    );
    for (const [u, h] of this.series) {
      let cumulative = 0;
      defaultBuckets.forEach((b, i) => {
        cumulative += h.buckets[i]!;
        lines.push(`proxy_request_duration_seconds_bucket{upstream="${u}",le="${b}"} ${cumulative}`);
      });
      lines.push(`proxy_request_duration_seconds_bucket{upstream="${u}",le="+Inf"} ${h.count}`);
      lines.push(`proxy_request_duration_seconds_sum{upstream="${u}"} ${h.sum}`);
      lines.push(`proxy_request_duration_seconds_count{upstream="${u}"} ${h.count}`);
    }
    return `${lines.join("\n")}\n${this.registry.render()}`;
  }
}
