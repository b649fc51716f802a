import amqp from "amqplib";
import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import type { DomainEvent } from "../server/core/outbox.ts";
import { defaultRetry, deliver, type RetryPolicy } from "./consume.ts";
import type { ConsumerSpec, EventTransport } from "./transport.ts";

type Connection = Awaited<ReturnType<typeof amqp.connect>>;
type ConfirmChannel = Awaited<ReturnType<Connection["createConfirmChannel"]>>;
type Channel = Awaited<ReturnType<Connection["createChannel"]>>;

export interface RabbitOptions {
  url: string;
  sql: Sql;
  logger: Logger;
  /** Exchange and queue name prefix; tests use a unique one. */
  prefix?: string;
  policy?: RetryPolicy;
  prefetch?: number;
}

const ATTEMPT_HEADER = "x-attempt";

/**
 * RabbitMQ transport: a durable topic exchange keyed by event type, one
 * durable queue per consumer, persistent messages published on a confirm
 * channel. A failed delivery is re-queued to the consumer's own queue with an
 * attempt counter after a backoff, then dead-lettered into Postgres.
 */
export async function createRabbitTransport(opts: RabbitOptions): Promise<EventTransport> {
  const prefix = opts.prefix ?? "commerce";
  const exchange = `${prefix}.events`;
  const policy = opts.policy ?? defaultRetry;
  const conn: Connection = await amqp.connect(opts.url, { timeout: 5000 });
  conn.on("error", (err: Error) => opts.logger.warn("rabbitmq connection error", { err: err.message }));
  const pub: ConfirmChannel = await conn.createConfirmChannel();
  await pub.assertExchange(exchange, "topic", { durable: true });
  const consumerChannels: Channel[] = [];
  const timers = new Set<Timer>();
  let closing = false;

  return {
    kind: "rabbitmq",
    async publish(events: DomainEvent[]) {
      for (const e of events) {
        pub.publish(exchange, e.type, Buffer.from(JSON.stringify(e)), {
          persistent: true,
          messageId: e.id,
          type: e.type,
          contentType: "application/json",
          timestamp: Math.floor(Date.parse(e.occurred_at) / 1000),
        });
      }
      // Resolves when the broker has confirmed every message (rejects on a nack or a closed channel).
      await pub.waitForConfirms();
    },

    async subscribe(consumer: ConsumerSpec) {
      const ch: Channel = await conn.createChannel();
      consumerChannels.push(ch);
      const queue = `${prefix}.${consumer.name}`;
      await ch.assertQueue(queue, { durable: true });
      for (const key of consumer.types === "*" ? ["#"] : consumer.types)
        await ch.bindQueue(queue, exchange, key);
      await ch.prefetch(opts.prefetch ?? 16);
      await ch.consume(queue, (msg) => {
        if (!msg) return;
        void (async () => {
          let event: DomainEvent;
          try {
            event = JSON.parse(msg.content.toString()) as DomainEvent;
          } catch {
            opts.logger.error("unparseable message dropped", { queue });
            ch.ack(msg);
            return;
          }
          const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
          try {
            const outcome = await deliver(opts.sql, consumer, event, attempt, policy, opts.logger);
            if (outcome === "retry" && !closing) {
              const timer = setTimeout(() => {
                timers.delete(timer);
                // Re-queue a copy with the next attempt number, then ack the original.
                ch.sendToQueue(queue, msg.content, {
                  ...msg.properties,
                  headers: { ...msg.properties.headers, [ATTEMPT_HEADER]: attempt + 1 },
                });
                ch.ack(msg);
              }, policy.backoffMs(attempt));
              timers.add(timer);
              return;
            }
            ch.ack(msg);
          } catch (err) {
            // The database is unreachable: leave the message for redelivery.
            opts.logger.warn("delivery bookkeeping failed; requeueing", {
              err: err instanceof Error ? err.message : String(err),
            });
            if (!closing) ch.nack(msg, false, true);
          }
        })();
      });
    },

    async close() {
      closing = true;
      for (const t of timers) clearTimeout(t);
      for (const ch of consumerChannels) await ch.close().catch(() => {});
      await pub.close().catch(() => {});
      await conn.close().catch(() => {});
    },
  };
}
