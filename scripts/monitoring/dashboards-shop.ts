import type { DashboardSpec } from "./dashboard-kit.ts";
import { quantile } from "./dashboard-kit.ts";
import { checkoutRoute, R, ratio } from "./promql.ts";

/** Events, the checkout funnel and the overview: how the shop's business flows. */
export const shopDashboards: DashboardSpec[] = [
  {
    uid: "commerce-events",
    title: "Events",
    description:
      "Outbox backlog and age, publishing, consumers (time, retries, dead letters) and RabbitMQ queues.",
    panels: [
      {
        title: "Oldest unpublished event (alert over 60 s)",
        unit: "s",
        red: 60,
        queries: [{ expr: "max(events_oldest_unpublished_age_seconds)", legend: "age" }],
      },
      {
        title: "Outbox rows waiting to be published",
        queries: [{ expr: "max(events_unpublished)", legend: "unpublished" }],
      },
      {
        title: "Messages waiting per consumer",
        queries: [{ expr: "sum by (consumer) (events_consumer_backlog)", legend: "{{consumer}}" }],
      },
      {
        title: "RabbitMQ ready / unacked per queue",
        queries: [
          { expr: "sum by (queue) (rabbitmq_queue_messages_ready)", legend: "{{queue}} ready" },
          { expr: "sum by (queue) (rabbitmq_queue_messages_unacked)", legend: "{{queue}} unacked" },
        ],
      },
      {
        title: "Dead letters (last hour, by consumer)",
        kind: "stat",
        red: 1,
        queries: [
          { expr: "sum by (consumer) (increase(events_dead_letters_total[1h]))", legend: "{{consumer}}" },
        ],
      },
      {
        title: "Retries per second by consumer",
        unit: "ops",
        queries: [{ expr: `sum by (consumer) (rate(events_retries_total${R}))`, legend: "{{consumer}}" }],
      },
      {
        title: "Handled per second by consumer and outcome",
        unit: "ops",
        queries: [
          {
            expr: `sum by (consumer, outcome) (rate(events_consumed_total${R}))`,
            legend: "{{consumer}} {{outcome}}",
          },
        ],
      },
      {
        title: "Processing time p95 by consumer",
        unit: "s",
        queries: [
          { expr: quantile(0.95, "events_processing_seconds_bucket", ["consumer"]), legend: "{{consumer}}" },
        ],
      },
      {
        title: "Published per second by type, publish failures",
        unit: "ops",
        queries: [
          { expr: `sum by (type) (rate(events_published_total${R}))`, legend: "{{type}}" },
          { expr: `sum(rate(events_publish_failures_total${R}))`, legend: "failed batches" },
        ],
      },
      {
        title: "Commit to confirmed publish p95 (relay lag)",
        unit: "s",
        queries: [{ expr: quantile(0.95, "events_relay_lag_seconds_bucket"), legend: "p95" }],
      },
      {
        title: "Broker connection and reconnects",
        queries: [
          { expr: "min(events_broker_connected)", legend: "connected" },
          { expr: `sum(increase(events_broker_reconnects_total${R}))`, legend: "reconnects" },
        ],
      },
    ],
  },
  {
    uid: "commerce-checkout",
    title: "Checkout funnel",
    description:
      "Cart adds, checkout attempts, orders per minute, declined payments (402) and stock or idempotency conflicts (409, 422).",
    panels: [
      {
        title: "Orders per minute (POST /api/checkout 201)",
        kind: "stat",
        queries: [
          {
            expr: `sum(rate(http_requests_total{${checkoutRoute}, status="201"}[5m])) * 60`,
            legend: "orders/min",
          },
        ],
      },
      {
        title: "Funnel per minute: cart adds, checkout attempts, orders",
        queries: [
          {
            expr: `sum(rate(http_requests_total{route="/api/cart/items", method="POST", status=~"2.."}${R})) * 60`,
            legend: "cart adds",
          },
          { expr: `sum(rate(http_requests_total{${checkoutRoute}}${R})) * 60`, legend: "checkout attempts" },
          {
            expr: `sum(rate(http_requests_total{${checkoutRoute}, status="201"}${R})) * 60`,
            legend: "orders",
          },
        ],
      },
      {
        title: "Declined payments and conflicts per minute",
        queries: [
          {
            expr: `sum(rate(http_requests_total{${checkoutRoute}, status="402"}${R})) * 60`,
            legend: "declined (402)",
          },
          {
            expr: `sum(rate(http_requests_total{${checkoutRoute}, status="409"}${R})) * 60`,
            legend: "out of stock (409)",
          },
          {
            expr: `sum(rate(http_requests_total{${checkoutRoute}, status="422"}${R})) * 60`,
            legend: "idempotency key reused (422)",
          },
          {
            expr: `sum(rate(http_requests_total{${checkoutRoute}, status=~"5.."}${R})) * 60`,
            legend: "errors (5xx)",
          },
        ],
      },
      {
        title: "Checkout conversion (orders / attempts)",
        unit: "percentunit",
        queries: [
          {
            expr: ratio(
              `sum(rate(http_requests_total{${checkoutRoute}, status="201"}[15m]))`,
              `sum(rate(http_requests_total{${checkoutRoute}}[15m]))`,
            ),
            legend: "conversion",
          },
        ],
      },
      {
        title: "Checkout latency p50 / p95 / p99",
        unit: "s",
        queries: [0.5, 0.95, 0.99].map((q) => ({
          expr: quantile(q, "http_request_duration_seconds_bucket", [], `{${checkoutRoute}}`),
          legend: `p${q * 100}`,
        })),
      },
      {
        title: "Order events published per minute",
        queries: [
          {
            expr: `sum by (type) (rate(events_published_total{type=~"order.*"}${R})) * 60`,
            legend: "{{type}}",
          },
        ],
      },
    ],
  },
  {
    uid: "commerce-overview",
    title: "Commerce overview",
    description:
      "The headline of each dashboard: traffic, errors, latency, instances, replica, events, disk.",
    panels: [
      {
        title: "Requests by status (proxy)",
        unit: "reqps",
        queries: [{ expr: `sum by (status) (rate(proxy_requests_total${R}))`, legend: "{{status}}" }],
      },
      {
        title: "Latency p95 (proxy)",
        unit: "s",
        red: 2,
        queries: [{ expr: quantile(0.95, "proxy_request_duration_seconds_bucket"), legend: "p95" }],
      },
      {
        title: "Healthy app instances",
        queries: [{ expr: "sum(proxy_upstream_healthy)", legend: "healthy" }],
      },
      {
        title: "Replica lag",
        unit: "ms",
        queries: [{ expr: "max by (replica) (db_replica_lag_ms)", legend: "{{replica}}" }],
      },
      {
        title: "Oldest unpublished event",
        unit: "s",
        red: 60,
        queries: [{ expr: "max(events_oldest_unpublished_age_seconds)", legend: "age" }],
      },
      {
        title: "Free disk space",
        unit: "percentunit",
        queries: [
          {
            expr: 'min by (instance, mountpoint) (node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"})',
            legend: "{{instance}} {{mountpoint}}",
          },
        ],
      },
    ],
  },
];
