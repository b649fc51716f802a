import { type Counter, type Gauge, type Histogram, Registry } from "../platform/metrics.ts";

/** The event path's Prometheus series (served on the workers' `/metrics`). */
export interface EventMetrics {
  registry: Registry;
  published: Counter;
  publishFailures: Counter;
  /** Seconds from an event's commit to the broker's confirm. */
  relayLag: Histogram;
  unpublished: Gauge;
  oldestUnpublishedAge: Gauge;
  consumed: Counter;
  processing: Histogram;
  retries: Counter;
  deadLetters: Counter;
  backlog: Gauge;
  brokerConnected: Gauge;
  reconnects: Counter;
}

const lagBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Registers the event metrics on `registry` (a fresh one by default). */
export function eventMetrics(registry = new Registry()): EventMetrics {
  return {
    registry,
    published: registry.counter("events_published_total", "events the broker confirmed, by type"),
    publishFailures: registry.counter(
      "events_publish_failures_total",
      "relay batches that failed to publish",
    ),
    relayLag: registry.histogram(
      "events_relay_lag_seconds",
      "time from an event's commit to its confirmed publish",
      lagBuckets,
    ),
    unpublished: registry.gauge("events_unpublished", "outbox rows not yet published"),
    oldestUnpublishedAge: registry.gauge(
      "events_oldest_unpublished_age_seconds",
      "age of the oldest unpublished outbox row (0 when none)",
    ),
    consumed: registry.counter(
      "events_consumed_total",
      "deliveries handled by consumer and outcome (done, duplicate, retry, dead)",
    ),
    processing: registry.histogram("events_processing_seconds", "consumer handler time by consumer"),
    retries: registry.counter("events_retries_total", "failed deliveries scheduled for another attempt"),
    deadLetters: registry.counter("events_dead_letters_total", "events written to dead_letters by consumer"),
    backlog: registry.gauge("events_consumer_backlog", "messages waiting in each consumer's queue"),
    brokerConnected: registry.gauge(
      "events_broker_connected",
      "1 while the workers hold a broker connection",
    ),
    reconnects: registry.counter("events_broker_reconnects_total", "broker connections made after a loss"),
  };
}
