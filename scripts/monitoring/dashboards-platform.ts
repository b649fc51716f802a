import type { DashboardSpec } from "./dashboard-kit.ts";
import { quantile } from "./dashboard-kit.ts";
import { R, ratio } from "./promql.ts";

/** Traffic, upstream health, database and cache: how the platform itself runs. */
export const platformDashboards: DashboardSpec[] = [
  {
    uid: "commerce-traffic",
    title: "Traffic",
    description: "Requests, errors and latency per route: at the proxy (what clients see) and per app route.",
    variables: [{ name: "route", metric: "http_requests_total", label: "route" }],
    panels: [
      {
        title: "Requests per second by status (proxy)",
        unit: "reqps",
        queries: [{ expr: `sum by (status) (rate(proxy_requests_total${R}))`, legend: "{{status}}" }],
      },
      {
        title: "5xx ratio (proxy; alert over 5% for 5 min)",
        unit: "percentunit",
        red: 0.05,
        queries: [
          {
            expr: ratio(
              `sum(rate(proxy_requests_total{status=~"5.."}${R}))`,
              `sum(rate(proxy_requests_total${R}))`,
            ),
            legend: "5xx",
          },
        ],
      },
      {
        title: "Latency p50 / p95 / p99 (proxy; alert p95 over 2 s)",
        unit: "s",
        red: 2,
        queries: [0.5, 0.95, 0.99].map((q) => ({
          expr: quantile(q, "proxy_request_duration_seconds_bucket"),
          legend: `p${q * 100}`,
        })),
      },
      {
        title: "Requests per second by route (app)",
        unit: "reqps",
        queries: [
          { expr: `sum by (route) (rate(http_requests_total{route=~"$route"}${R}))`, legend: "{{route}}" },
        ],
      },
      {
        title: "Errors per second by route and status (app, 4xx and 5xx)",
        unit: "reqps",
        queries: [
          {
            expr: `sum by (route, status) (rate(http_requests_total{route=~"$route", status=~"[45].."}${R}))`,
            legend: "{{route}} {{status}}",
          },
        ],
      },
      {
        title: "Requests in flight (app)",
        queries: [{ expr: "sum by (instance) (http_requests_in_flight)", legend: "{{instance}}" }],
      },
      ...[0.5, 0.95, 0.99].map((q) => ({
        title: `p${q * 100} latency by route (app)`,
        unit: "s",
        queries: [
          {
            expr: quantile(q, "http_request_duration_seconds_bucket", ["route"], '{route=~"$route"}'),
            legend: "{{route}}",
          },
        ],
      })),
      {
        title: "Rate-limited requests per second (proxy)",
        unit: "reqps",
        queries: [{ expr: `sum(rate(proxy_rate_limited_total${R}))`, legend: "429" }],
      },
    ],
  },
  {
    uid: "commerce-upstreams",
    title: "Upstream health",
    description:
      "Each app instance as the proxy sees it, and every process's CPU, memory and event-loop delay.",
    panels: [
      {
        title: "Healthy (1) or ejected (0), per instance",
        queries: [{ expr: "max by (upstream) (proxy_upstream_healthy)", legend: "{{upstream}}" }],
      },
      {
        title: "Scrape targets up",
        queries: [{ expr: "up", legend: "{{job}} {{instance}}" }],
      },
      {
        title: "Requests per second by instance and status",
        unit: "reqps",
        queries: [
          {
            expr: `sum by (upstream, status) (rate(proxy_requests_total{upstream!~"static|local"}${R}))`,
            legend: "{{upstream}} {{status}}",
          },
        ],
      },
      {
        title: "p95 latency by instance",
        unit: "s",
        queries: [
          {
            expr: quantile(0.95, "proxy_request_duration_seconds_bucket", ["upstream"]),
            legend: "{{upstream}}",
          },
        ],
      },
      {
        title: "In flight and open sockets by instance",
        queries: [
          { expr: "sum by (upstream) (proxy_upstream_active_requests)", legend: "{{upstream}} active" },
          { expr: "sum by (upstream) (proxy_upstream_pool_open)", legend: "{{upstream}} open" },
          { expr: "sum by (upstream) (proxy_upstream_pool_idle)", legend: "{{upstream}} idle" },
        ],
      },
      {
        title: "Retries and upstream failures per second",
        unit: "ops",
        queries: [
          { expr: `sum(rate(proxy_retries_total${R}))`, legend: "retries" },
          { expr: `sum(rate(proxy_upstream_failures_total${R}))`, legend: "connect errors / lost" },
        ],
      },
      {
        title: "CPU per process (cores)",
        queries: [
          {
            expr: `sum by (job, instance) (rate(process_cpu_seconds_total${R}))`,
            legend: "{{job}} {{instance}}",
          },
        ],
      },
      {
        title: "Resident memory per process",
        unit: "bytes",
        queries: [{ expr: "process_resident_memory_bytes", legend: "{{job}} {{instance}}" }],
      },
      {
        title: "Event-loop delay p99 per process",
        unit: "s",
        red: 0.1,
        queries: [
          {
            expr: quantile(0.99, "process_event_loop_delay_seconds_bucket", ["job", "instance"]),
            legend: "{{job}} {{instance}}",
          },
        ],
      },
      {
        title: "Largest event-loop delay per scrape",
        unit: "s",
        queries: [{ expr: "process_event_loop_delay_max_seconds", legend: "{{job}} {{instance}}" }],
      },
    ],
  },
  {
    uid: "commerce-database",
    title: "Database",
    description:
      "Replica lag, pool use and waits, and the statements that take the time (by name, not SQL text).",
    panels: [
      {
        title: "Replica lag seen by the apps (-1 = down; reads leave it over 2 s)",
        unit: "ms",
        red: 2000,
        queries: [{ expr: "max by (replica) (db_replica_lag_ms)", legend: "{{replica}}" }],
      },
      {
        title: "Replica receives reads (1) per app instance",
        queries: [{ expr: "db_replica_up", legend: "{{instance}} {{replica}}" }],
      },
      {
        title: "Pool connections in use / size",
        queries: [
          {
            expr: "sum by (instance, pool) (db_pool_connections_in_use)",
            legend: "{{instance}} {{pool}} in use",
          },
          { expr: "max by (pool) (db_pool_max_connections)", legend: "{{pool}} size" },
        ],
      },
      {
        title: "Waiting for a connection (now, and waits per second)",
        queries: [
          { expr: "sum by (instance, pool) (db_pool_waiting)", legend: "{{instance}} {{pool}} waiting" },
          { expr: `sum by (pool) (rate(db_pool_waits_total${R}))`, legend: "{{pool}} waits/s" },
        ],
      },
      {
        title: "Transaction start p95 (pool wait + BEGIN)",
        unit: "s",
        queries: [
          { expr: quantile(0.95, "db_transaction_start_seconds_bucket", ["pool"]), legend: "{{pool}}" },
        ],
      },
      {
        title: "Statement errors per second",
        unit: "ops",
        queries: [{ expr: `sum by (statement) (rate(db_query_errors_total${R}))`, legend: "{{statement}}" }],
      },
      {
        title: "Slowest statements (p95, top 10)",
        unit: "s",
        wide: true,
        queries: [
          {
            expr: `topk(10, ${quantile(0.95, "db_query_duration_seconds_bucket", ["statement"])})`,
            legend: "{{statement}}",
          },
        ],
      },
      {
        title: "Database time by statement (seconds per second, top 10)",
        queries: [
          {
            expr: `topk(10, sum by (statement) (rate(db_query_duration_seconds_sum${R})))`,
            legend: "{{statement}}",
          },
        ],
      },
      {
        title: "Statements per second by pool",
        unit: "ops",
        queries: [{ expr: `sum by (pool) (rate(db_query_duration_seconds_count${R}))`, legend: "{{pool}}" }],
      },
      {
        title: "Postgres: up, connections, deadlocks (postgres_exporter)",
        queries: [
          { expr: "pg_up", legend: "up" },
          { expr: "sum by (state) (pg_stat_activity_count)", legend: "connections {{state}}" },
          { expr: `sum(rate(pg_stat_database_deadlocks${R}))`, legend: "deadlocks/s" },
        ],
      },
      {
        title: "WAL archive failures and database size",
        queries: [
          { expr: "pg_stat_archiver_failed_count", legend: "archive failures" },
          { expr: "sum(pg_database_size_bytes)", legend: "size (bytes)" },
        ],
      },
    ],
  },
  {
    uid: "commerce-cache",
    title: "Cache",
    description: "Cache-aside hit ratio per cache, database loads and Redis itself.",
    panels: [
      {
        title: "Hit ratio by cache",
        unit: "percentunit",
        queries: [
          {
            expr: ratio(
              `sum by (cache) (rate(cache_requests_total{result="hit"}${R}))`,
              `sum by (cache) (rate(cache_requests_total${R}))`,
            ),
            legend: "{{cache}}",
          },
        ],
      },
      {
        title: "Lookups per second by cache and result",
        unit: "ops",
        queries: [
          { expr: `sum by (cache, result) (rate(cache_requests_total${R}))`, legend: "{{cache}} {{result}}" },
        ],
      },
      {
        title: "Database loads and cache errors per second",
        unit: "ops",
        queries: [
          { expr: `sum by (cache) (rate(cache_loads_total${R}))`, legend: "{{cache}} loads" },
          { expr: `sum(rate(cache_errors_total${R}))`, legend: "errors" },
        ],
      },
      {
        title: "Redis keyspace hit ratio (redis_exporter)",
        unit: "percentunit",
        queries: [
          {
            expr: ratio(
              `rate(redis_keyspace_hits_total${R})`,
              `rate(redis_keyspace_hits_total${R}) + rate(redis_keyspace_misses_total${R})`,
            ),
            legend: "redis",
          },
        ],
      },
      {
        title: "Redis memory and clients",
        queries: [
          { expr: "redis_memory_used_bytes", legend: "memory (bytes)" },
          { expr: "redis_connected_clients", legend: "clients" },
          { expr: "redis_up", legend: "up" },
        ],
      },
      {
        title: "Rate limiter on local buckets (Redis unreachable)",
        queries: [{ expr: "max(proxy_rate_limit_local_fallback)", legend: "fallback" }],
      },
    ],
  },
];
