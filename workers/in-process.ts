import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import type { TraceHeaders } from "../platform/tracing.ts";
import type { DomainEvent } from "../server/core/outbox.ts";
import { defaultRetry, deliver, type RetryPolicy } from "./consume.ts";
import type { EventMetrics } from "./metrics.ts";
import { type ConsumerSpec, type EventTransport, wants } from "./transport.ts";

/**
 * The transport when no RabbitMQ is configured: the relay hands events to the
 * consumers directly, with the same idempotency, retry and dead-letter rules
 * (recorded in Postgres). `publish` returns once every consumer has processed
 * or dead-lettered each event, so the outbox row stays unpublished (and is
 * retried after a crash) until then.
 */
export function createInProcessTransport(
  sql: Sql,
  logger: Logger,
  policy: RetryPolicy = defaultRetry,
  metrics?: EventMetrics,
): EventTransport {
  const consumers: ConsumerSpec[] = [];
  const since = new Date().toISOString();
  async function run(consumer: ConsumerSpec, event: DomainEvent, trace?: TraceHeaders): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await deliver(sql, consumer, event, attempt, { policy, logger, metrics }, trace);
      if (outcome !== "retry") return;
      await Bun.sleep(policy.backoffMs(attempt));
    }
  }
  return {
    kind: "in-process",
    async publish(events, trace) {
      // Events of one batch go out in order per consumer; consumers run side by side.
      await Promise.all(
        consumers.map(async (c) => {
          for (const [i, e] of events.entries()) if (wants(c, e.type)) await run(c, e, trace?.[i]);
        }),
      );
    },
    async subscribe(consumer) {
      consumers.push(consumer);
    },
    async close() {},
    status: () => ({ connected: true, since, reconnects: 0, lastError: null }),
    onConnected() {},
    async backlog() {
      return {};
    },
  };
}
