import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import type { Registry } from "../platform/metrics.ts";
import type { EventsHealthSettings } from "../server/ops/settings.ts";
import type { RetryPolicy } from "./consume.ts";
import { startWorkersMonitor, type WorkersMonitor } from "./health.ts";
import { createInProcessTransport } from "./in-process.ts";
import { type EventMetrics, eventMetrics } from "./metrics.ts";
import { createRabbitTransport } from "./rabbitmq.ts";
import { type Relay, startRelay } from "./relay.ts";
import type { WorkerSettings } from "./settings.ts";
import type { ConsumerSpec, EventTransport } from "./transport.ts";

export interface WorkersOptions {
  sql: Sql;
  logger: Logger;
  /** RabbitMQ; unset = the in-process transport. */
  amqpUrl?: string;
  consumers: ConsumerSpec[];
  settings: WorkerSettings;
  limits: EventsHealthSettings;
  host: string;
  policy?: RetryPolicy;
  relayPollMs?: number;
  onWedged?: () => void;
  /** Where the event series go (the process's registry, so `/metrics` also shows database and process series). */
  registry?: Registry;
}

/** A running workers set: transport, consumers, relay and health monitor. */
export interface Workers {
  transport: EventTransport;
  relay: Relay;
  monitor: WorkersMonitor;
  metrics: EventMetrics;
  stop(): Promise<void>;
}

/**
 * Starts the event path of a workers process: the transport (RabbitMQ when
 * `amqpUrl` is set, reconnecting on its own; otherwise in process), every
 * consumer, the outbox relay and the health monitor with its HTTP endpoint.
 * `bun workers/main.ts` runs it; tests run it in their own process.
 */
export async function startWorkers(o: WorkersOptions): Promise<Workers> {
  const metrics = eventMetrics(o.registry);
  // Consumers that start and finish handlers are making progress even while the relay
  // waits on them (in process, publish returns once every consumer is done).
  let lastProgressAt = Date.now();
  const consumers = o.consumers.map(
    (c): ConsumerSpec => ({
      ...c,
      async handle(event) {
        lastProgressAt = Date.now();
        try {
          await c.handle(event);
        } finally {
          lastProgressAt = Date.now();
        }
      },
    }),
  );
  const transport: EventTransport = o.amqpUrl
    ? await createRabbitTransport({
        url: o.amqpUrl,
        sql: o.sql,
        logger: o.logger,
        prefix: o.settings.AMQP_PREFIX,
        policy: o.policy,
        metrics,
        reconnectMaxMs: o.settings.AMQP_RECONNECT_MAX_MS,
        confirmTimeoutMs: o.settings.AMQP_CONFIRM_TIMEOUT_MS,
      })
    : createInProcessTransport(o.sql, o.logger, o.policy, metrics);
  for (const consumer of consumers) {
    // Zero series from the start: Prometheus' increase() misses a counter's first step from absent to 1.
    metrics.retries.inc({ consumer: consumer.name }, 0);
    metrics.deadLetters.inc({ consumer: consumer.name }, 0);
    await transport.subscribe(consumer);
  }
  const relay = startRelay(o.sql, transport, o.logger, { metrics, pollMs: o.relayPollMs });
  const monitor = startWorkersMonitor({
    sql: o.sql,
    transport,
    relay,
    metrics,
    logger: o.logger,
    settings: o.settings,
    limits: o.limits,
    host: o.host,
    onWedged: o.onWedged,
    lastConsumerProgress: () => lastProgressAt,
  });
  return {
    transport,
    relay,
    monitor,
    metrics,
    async stop() {
      await relay.stop();
      await monitor.stop();
      await transport.close();
    },
  };
}
