import type amqp from "amqplib";
import type { Sql } from "../db/client.ts";
import type { TraceHeaders } from "../platform/tracing.ts";
import type { DomainEvent } from "../server/core/outbox.ts";
import { type DeliveryContext, deliver } from "./consume.ts";
import type { ConsumerSpec } from "./transport.ts";

type ChannelModel = Awaited<ReturnType<typeof amqp.connect>>;
/** A consumer's channel on one connection. */
export type Channel = Awaited<ReturnType<ChannelModel["createChannel"]>>;

const ATTEMPT_HEADER = "x-attempt";

/** The W3C trace context the relay put in the message headers, if any. */
function traceHeaders(msg: { properties: { headers?: Record<string, unknown> } }): TraceHeaders | undefined {
  const h = msg.properties.headers;
  const traceparent = h?.traceparent;
  if (typeof traceparent !== "string") return undefined;
  const tracestate = h?.tracestate;
  return typeof tracestate === "string" ? { traceparent, tracestate } : { traceparent };
}

/** What a consumer needs from the transport that owns it. */
export interface ConsumerWiring {
  exchange: string;
  prefix: string;
  sql: Sql;
  ctx: DeliveryContext;
  prefetch: number;
  /** Retry timers, cleared when the transport closes. */
  timers: Set<Timer>;
  isClosing(): boolean;
}

/**
 * Runs an operation on a channel that may have closed under us (connection
 * lost): the broker redelivers every unacknowledged message on the next
 * connection, and the consumers' idempotency drops the ones already handled,
 * so a lost ack or requeue is harmless.
 */
function onChannel(op: () => void): void {
  try {
    op();
  } catch {
    // Channel closed: see above.
  }
}

/**
 * Declares the consumer's durable queue and bindings on `model` and starts
 * consuming. Called on every (re)connection. A failed delivery is re-queued
 * to the consumer's own queue with an attempt counter after a backoff, then
 * dead-lettered into Postgres.
 */
export async function startConsumer(
  model: ChannelModel,
  consumer: ConsumerSpec,
  w: ConsumerWiring,
): Promise<Channel> {
  const ch: Channel = await model.createChannel();
  ch.on("error", () => {}); // the connection's close handler reconnects
  const queue = `${w.prefix}.${consumer.name}`;
  await ch.assertQueue(queue, { durable: true });
  for (const key of consumer.types === "*" ? ["#"] : consumer.types)
    await ch.bindQueue(queue, w.exchange, key);
  await ch.prefetch(w.prefetch);
  const { logger, policy } = w.ctx;
  await ch.consume(queue, (msg) => {
    if (!msg) return;
    void (async () => {
      let event: DomainEvent;
      try {
        event = JSON.parse(msg.content.toString()) as DomainEvent;
      } catch {
        logger.error("unparseable message dropped", { queue });
        onChannel(() => ch.ack(msg));
        return;
      }
      const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
      try {
        const outcome = await deliver(w.sql, consumer, event, attempt, w.ctx, traceHeaders(msg));
        if (outcome === "retry" && !w.isClosing()) {
          const timer = setTimeout(() => {
            w.timers.delete(timer);
            // Re-queue a copy with the next attempt number, then ack the original.
            onChannel(() => {
              ch.sendToQueue(queue, msg.content, {
                ...msg.properties,
                headers: { ...msg.properties.headers, [ATTEMPT_HEADER]: attempt + 1 },
              });
              ch.ack(msg);
            });
          }, policy.backoffMs(attempt));
          w.timers.add(timer);
          return;
        }
        onChannel(() => ch.ack(msg));
      } catch (err) {
        // The database is unreachable: leave the message for redelivery.
        logger.warn("delivery bookkeeping failed; requeueing", {
          err: err instanceof Error ? err.message : String(err),
        });
        if (!w.isClosing()) onChannel(() => ch.nack(msg, false, true));
      }
    })();
  });
  return ch;
}
