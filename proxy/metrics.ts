import { defaultBuckets, Registry } from "../server/platform/metrics.ts";
import type { Upstream } from "./upstream.ts";

/**
 * The proxy's Prometheus metrics. Per-request series are kept in flat arrays
 * keyed by a precomputed string and rendered by hand: the shared Registry
 * builds label keys on every `inc`, which costs a noticeable share of the
 * ~10 µs the proxy spends per request. Rare events use the Registry.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  private readonly requests = new Map<string, Map<number, number>>();
  private readonly latency = new Map<string, { counts: Float64Array; sum: number; count: number }>();
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
  clientConnections = 0;

  constructor(upstreams: () => readonly Upstream[], poolIdle: (u: Upstream) => number) {
    const now = () => Date.now();
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
  }

  /** Counts one finished request. `upstream` is "static" or "local" for answers made by the proxy. */
  request(upstream: string, status: number, seconds: number): void {
    // Keyed by upstream, then status number: no key string is built per request.
    let byStatus = this.requests.get(upstream);
    if (!byStatus) {
      byStatus = new Map();
      this.requests.set(upstream, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    let h = this.latency.get(upstream);
    if (!h) {
      h = { counts: new Float64Array(defaultBuckets.length), sum: 0, count: 0 };
      this.latency.set(upstream, h);
    }
    for (let i = defaultBuckets.length - 1; i >= 0 && seconds <= defaultBuckets[i]!; i--) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** Count of finished requests for an upstream and status (tests). */
  requestCount(upstream: string, status: number): number {
    return this.requests.get(upstream)?.get(status) ?? 0;
  }

  render(): string {
    const lines = [
      "# HELP proxy_requests_total Requests by upstream and status",
      "# TYPE proxy_requests_total counter",
    ];
    for (const [u, byStatus] of this.requests)
      for (const [s, v] of byStatus) lines.push(`proxy_requests_total{upstream="${u}",status="${s}"} ${v}`);
    lines.push(
      "# HELP proxy_request_duration_seconds Time from request head to end of response",
      "# TYPE proxy_request_duration_seconds histogram",
    );
    for (const [u, h] of this.latency) {
      defaultBuckets.forEach((b, i) => {
        lines.push(`proxy_request_duration_seconds_bucket{upstream="${u}",le="${b}"} ${h.counts[i]}`);
      });
      lines.push(`proxy_request_duration_seconds_bucket{upstream="${u}",le="+Inf"} ${h.count}`);
      lines.push(`proxy_request_duration_seconds_sum{upstream="${u}"} ${h.sum}`);
      lines.push(`proxy_request_duration_seconds_count{upstream="${u}"} ${h.count}`);
    }
    return `${lines.join("\n")}\n${this.registry.render()}`;
  }
}
