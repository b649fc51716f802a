import amqp from "amqplib";
import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import type { TraceHeaders } from "../platform/tracing.ts";
import type { DomainEvent } from "../server/core/outbox.ts";
import { defaultRetry, type RetryPolicy } from "./consume.ts";
import type { EventMetrics } from "./metrics.ts";
import { type Channel, type ConsumerWiring, startConsumer } from "./rabbitmq-consumer.ts";
import type { ConsumerSpec, EventTransport, TransportStatus } from "./transport.ts";

type ChannelModel = Awaited<ReturnType<typeof amqp.connect>>;
type ConfirmChannel = Awaited<ReturnType<ChannelModel["createConfirmChannel"]>>;

/**
 * amqplib's recovering connection (`connect(url, { recovery })`, amqplib ≥ 2.3),
 * which its type package does not describe yet: it reconnects with jittered,
 * capped backoff and runs `setup` on every new connection before announcing it.
 */
interface RecoveringConnection {
  on(event: "connect", fn: (model: ChannelModel) => void): this;
  on(event: "disconnect" | "connect-failed" | "error", fn: (err: Error) => void): this;
  close(): Promise<void>;
}
interface RecoveryOptions {
  initialDelay: number;
  maxDelay: number;
  factor: number;
  jitter: number;
  waitForConnect: boolean;
  setup(model: ChannelModel): Promise<void>;
}
const connectRecovering = amqp.connect as unknown as (
  url: string,
  opts: { timeout: number; recovery: RecoveryOptions },
) => Promise<RecoveringConnection>;

export interface RabbitOptions {
  url: string;
  sql: Sql;
  logger: Logger;
  /** Exchange and queue name prefix; tests use a unique one. */
  prefix?: string;
  policy?: RetryPolicy;
  prefetch?: number;
  metrics?: EventMetrics;
  /** Cap of the reconnect backoff (ms). */
  reconnectMaxMs?: number;
  /** A batch unconfirmed after this long fails and the connection is replaced (ms). */
  confirmTimeoutMs?: number;
}

/** The channels of one live connection. */
interface Session {
  model: ChannelModel;
  pub: ConfirmChannel;
  admin: Channel;
}

/** Asks for AMQP heartbeats (a silent peer is noticed) unless the URL sets its own. */
function withHeartbeat(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has("heartbeat")) u.searchParams.set("heartbeat", "5");
  return u.toString();
}

/**
 * Publishes persistent messages and waits for the broker's confirms; rejects on
 * a nack, a closed channel, or no confirm within `timeoutMs` (a broker that
 * stopped answering: the connection is then replaced).
 */
async function publishConfirmed(
  s: Session,
  exchange: string,
  events: DomainEvent[],
  trace: readonly TraceHeaders[] | undefined,
  timeoutMs: number,
) {
  for (const [i, e] of events.entries()) {
    s.pub.publish(exchange, e.type, Buffer.from(JSON.stringify(e)), {
      // W3C trace context as message headers (`traceparent`, `tracestate`).
      headers: trace?.[i],
      persistent: true,
      messageId: e.id,
      type: e.type,
      contentType: "application/json",
      timestamp: Math.floor(Date.parse(e.occurred_at) / 1000),
    });
  }
  let timer: Timer | undefined;
  try {
    await Promise.race([
      s.pub.waitForConfirms(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          s.model.close().catch(() => {});
          reject(new Error(`no publisher confirm within ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * RabbitMQ transport: a durable topic exchange keyed by event type, one
 * durable queue per consumer, persistent messages published on a confirm
 * channel. The connection is recovered after any loss (jittered, capped
 * backoff); each new connection declares the topology again and restarts
 * every consumer. While it is down `publish` fails, so the relay leaves the
 * events in the outbox and sends them again once reconnected: a batch in
 * flight when the connection dropped was never confirmed, so it is repeated
 * (consumers drop what they already processed).
 */
export async function createRabbitTransport(opts: RabbitOptions): Promise<EventTransport> {
  const prefix = opts.prefix ?? "commerce";
  const exchange = `${prefix}.events`;
  const { logger, metrics } = opts;
  const consumers: ConsumerSpec[] = [];
  const listeners: (() => void)[] = [];
  const timers = new Set<Timer>();
  let closing = false;
  let session: Session | null = null;
  let state: TransportStatus = {
    connected: false,
    since: new Date().toISOString(),
    reconnects: 0,
    lastError: null,
  };
  let connectedOnce = false;
  let failedAttempts = 0;
  const wiring: ConsumerWiring = {
    exchange,
    prefix,
    sql: opts.sql,
    ctx: { policy: opts.policy ?? defaultRetry, logger, metrics },
    prefetch: opts.prefetch ?? 16,
    timers,
    isClosing: () => closing,
  };

  /** A channel closing on its own (not with its connection) gets a whole new connection. */
  const replaceOnClose = (model: ChannelModel, ch: { on(e: "close", fn: () => void): unknown }) =>
    ch.on("close", () => {
      if (!closing && session?.model === model) model.close().catch(() => {});
    });

  async function setup(model: ChannelModel): Promise<void> {
    model.on("error", () => {}); // reported through the recovering connection's events
    const pub = await model.createConfirmChannel();
    pub.on("error", () => {});
    await pub.assertExchange(exchange, "topic", { durable: true });
    const admin = await model.createChannel();
    admin.on("error", () => {});
    for (const consumer of consumers) replaceOnClose(model, await startConsumer(model, consumer, wiring));
    replaceOnClose(model, pub);
    session = { model, pub, admin };
  }

  const conn = await connectRecovering(withHeartbeat(opts.url), {
    timeout: 5000,
    recovery: {
      initialDelay: 200,
      maxDelay: opts.reconnectMaxMs ?? 5000,
      factor: 2,
      jitter: 0.5,
      waitForConnect: false,
      setup,
    },
  });
  conn.on("connect", () => {
    if (connectedOnce) {
      state = { ...state, reconnects: state.reconnects + 1 };
      metrics?.reconnects.inc();
      logger.info("rabbitmq reconnected; topology declared, consumers resumed", {
        after_failed_attempts: failedAttempts,
      });
    }
    connectedOnce = true;
    failedAttempts = 0;
    state = { ...state, connected: true, since: new Date().toISOString(), lastError: null };
    metrics?.brokerConnected.set({}, 1);
    for (const fn of listeners) fn();
  });
  conn.on("disconnect", (err) => {
    session = null;
    state = { ...state, connected: false, since: new Date().toISOString(), lastError: err.message };
    metrics?.brokerConnected.set({}, 0);
    if (!closing) logger.warn("rabbitmq connection lost; reconnecting", { err: err.message });
  });
  conn.on("connect-failed", (err) => {
    failedAttempts++;
    state = { ...state, lastError: err.message };
    if (failedAttempts === 1 || failedAttempts % 20 === 0)
      logger.warn("rabbitmq connect failed; retrying", { err: err.message, attempts: failedAttempts });
  });
  conn.on("error", (err) => logger.warn("rabbitmq connection error", { err: err.message }));
  metrics?.brokerConnected.set({}, 0);
  // Start with the first attempt's outcome known; a broker that is down now is retried in the background.
  await new Promise<void>((resolve) => {
    conn.on("connect", () => resolve());
    conn.on("connect-failed", () => resolve());
  });

  return {
    kind: "rabbitmq",
    async publish(events: DomainEvent[], trace?: readonly TraceHeaders[]) {
      const s = session;
      if (!s) throw new Error(`broker not connected${state.lastError ? ` (${state.lastError})` : ""}`);
      await publishConfirmed(s, exchange, events, trace, opts.confirmTimeoutMs ?? 10_000);
    },

    async subscribe(consumer: ConsumerSpec) {
      consumers.push(consumer);
      const s = session;
      if (s) replaceOnClose(s.model, await startConsumer(s.model, consumer, wiring));
    },

    status: () => state,

    onConnected(fn) {
      listeners.push(fn);
    },

    async backlog() {
      const s = session;
      if (!s) return {};
      const out: Record<string, number> = {};
      try {
        for (const c of consumers)
          out[c.name] = (await s.admin.checkQueue(`${prefix}.${c.name}`)).messageCount;
      } catch {
        return {};
      }
      return out;
    },

    async close() {
      closing = true;
      for (const t of timers) clearTimeout(t);
      session = null;
      await conn.close().catch(() => {});
    },
  };
}
