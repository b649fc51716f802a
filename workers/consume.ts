import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import { contextFrom, inSpan, SpanKind, type TraceHeaders } from "../platform/tracing.ts";
import type { DomainEvent } from "../server/core/outbox.ts";
import type { EventMetrics } from "./metrics.ts";
import type { ConsumerSpec } from "./transport.ts";

export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before attempt n+1 (n starts at 1). */
  backoffMs(attempt: number): number;
}

export const defaultRetry: RetryPolicy = {
  maxAttempts: 5,
  backoffMs: (n) => Math.min(1000 * 2 ** (n - 1), 60_000),
};

/** Outcome of one delivery attempt. */
export type Outcome = "done" | "duplicate" | "retry" | "dead";

/** What every delivery needs besides the event: the retry rules, a logger, optional metrics. */
export interface DeliveryContext {
  policy: RetryPolicy;
  logger: Logger;
  metrics?: EventMetrics;
}

/**
 * Runs a consumer on an event at most once per (consumer, event id): the id
 * is recorded in processed_events after the handler succeeds, and a
 * redelivered event that is already recorded is skipped. Copies of one event
 * in hand at once in this process are delivered one after the other. After the last
 * attempt the event goes to dead_letters (replayable) instead of blocking.
 * With tracing on, each attempt is a consumer span continuing `trace` (the
 * relay's publish span), and the handler's own work (statements, webhook
 * calls, mail) nests in it.
 */
export async function deliver(
  sql: Sql,
  consumer: ConsumerSpec,
  event: DomainEvent,
  attempt: number,
  ctx: DeliveryContext,
  trace?: TraceHeaders,
): Promise<Outcome> {
  // Two copies of one event can be in hand at once (the broker redelivers what a killed
  // process left unacknowledged while the relay republishes rows whose mark it lost):
  // the second waits for the first, then finds it recorded, instead of handling it alongside.
  return oneAtATime(`${consumer.name}\u0000${event.id}`, () =>
    deliverTraced(sql, consumer, event, attempt, ctx, trace),
  );
}

/** Deliveries in hand in this process, by consumer and event id (see `deliver`). */
const inHand = new Map<string, Promise<Outcome>>();
const nothing = () => {};

/** Runs `run` after any earlier run under `key` in this process has settled. */
async function oneAtATime(key: string, run: () => Promise<Outcome>): Promise<Outcome> {
  const before = inHand.get(key);
  const mine = (before ? before.then(nothing, nothing) : Promise.resolve()).then(run);
  inHand.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inHand.get(key) === mine) inHand.delete(key);
  }
}

const deliverTraced: typeof deliver = async (sql, consumer, event, attempt, ctx, trace) => {
  const outcome = await inSpan(
    `consume ${consumer.name}`,
    async (span) => {
      const result = await attemptDelivery(sql, consumer, event, attempt, ctx);
      span?.setAttribute("messaging.consumer.outcome", result);
      return result;
    },
    {
      kind: SpanKind.CONSUMER,
      parent: contextFrom(trace),
      attributes: {
        "messaging.destination.name": event.type,
        "messaging.message.id": event.id,
        "messaging.consumer.group.name": consumer.name,
        attempt,
      },
    },
  );
  ctx.metrics?.consumed.inc({ consumer: consumer.name, outcome });
  if (outcome === "retry") ctx.metrics?.retries.inc({ consumer: consumer.name });
  if (outcome === "dead") ctx.metrics?.deadLetters.inc({ consumer: consumer.name });
  return outcome;
};

async function attemptDelivery(
  sql: Sql,
  consumer: ConsumerSpec,
  event: DomainEvent,
  attempt: number,
  { policy, logger, metrics }: DeliveryContext,
): Promise<Outcome> {
  const [seen] =
    await sql`select 1 from processed_events where consumer = ${consumer.name} and event_id = ${event.id}`;
  if (seen) return "duplicate";
  const started = performance.now();
  try {
    await consumer.handle(event);
    metrics?.processing.observe({ consumer: consumer.name }, (performance.now() - started) / 1000);
    await sql`insert into processed_events (consumer, event_id) values (${consumer.name}, ${event.id}) on conflict do nothing`;
    return "done";
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (attempt < policy.maxAttempts) {
      logger.warn("consumer failed; will retry", {
        consumer: consumer.name,
        event: event.id,
        type: event.type,
        attempt,
        err: message,
      });
      return "retry";
    }
    await sql`
      insert into dead_letters (consumer, event_id, event, error, attempts)
      values (${consumer.name}, ${event.id}, ${sql.json(event as unknown as Parameters<Sql["json"]>[0])}, ${message}, ${attempt})`;
    logger.error("event dead-lettered", {
      consumer: consumer.name,
      event: event.id,
      type: event.type,
      attempts: attempt,
      err: message,
    });
    return "dead";
  }
}
