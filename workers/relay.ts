import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import {
  contextFrom,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TraceHeaders,
  traceparentOf,
  tracer,
} from "../platform/tracing.ts";
import type { DomainEvent, EventType } from "../server/core/outbox.ts";
import type { EventMetrics } from "./metrics.ts";
import type { EventTransport } from "./transport.ts";

interface OutboxRow {
  seq: string;
  id: string;
  type: EventType;
  data: Record<string, unknown>;
  occurred_at: Date;
  traceparent: string | null;
  tracestate: string | null;
}

/**
 * With tracing on, a producer span per event, child of the span that wrote
 * it (its outbox row's trace context), and the headers naming that span for
 * the transport to carry to the consumers. Null when tracing is off.
 */
function startPublishSpans(rows: OutboxRow[]): { spans: Span[]; headers: TraceHeaders[] } | null {
  const t = tracer();
  if (!t) return null;
  const spans: Span[] = [];
  const headers: TraceHeaders[] = [];
  for (const r of rows) {
    const parent = contextFrom(
      r.traceparent
        ? r.tracestate
          ? { traceparent: r.traceparent, tracestate: r.tracestate }
          : { traceparent: r.traceparent }
        : null,
    );
    const span = t.startSpan(
      `publish ${r.type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { "messaging.destination.name": r.type, "messaging.message.id": r.id },
      },
      parent,
    );
    spans.push(span);
    headers.push(
      r.tracestate
        ? { traceparent: traceparentOf(span), tracestate: r.tracestate }
        : { traceparent: traceparentOf(span) },
    );
  }
  return { spans, headers };
}

/** Ends the batch's publish spans, failed when the transport did not confirm. */
function endPublishSpans(spans: Span[], err: unknown): void {
  for (const span of spans) {
    if (err !== undefined)
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: err instanceof Error ? err.message : String(err),
      });
    span.end();
  }
}

/**
 * Publishes one batch of unpublished outbox rows in commit order. Rows are
 * locked (SKIP LOCKED, so several relays can run) and marked published in the
 * same transaction only after the transport confirmed them: a crash or a lost
 * connection before that leaves them to be sent again, and consumers drop the
 * duplicate. Returns how many were published.
 */
export async function relayBatch(
  sql: Sql,
  transport: EventTransport,
  opts: { batchSize?: number; metrics?: EventMetrics } = {},
): Promise<number> {
  const published: OutboxRow[] = await sql.begin(async (tx): Promise<OutboxRow[]> => {
    const rows = await tx<OutboxRow[]>`
      select seq, id, type, data, occurred_at, traceparent, tracestate from outbox
      where published_at is null
      order by seq
      limit ${opts.batchSize ?? 100}
      for update skip locked`;
    if (!rows.length) return [];
    const events: DomainEvent[] = rows.map((r) => ({
      id: r.id,
      type: r.type,
      occurred_at: r.occurred_at.toISOString(),
      data: r.data,
    }));
    const traced = startPublishSpans(rows);
    try {
      await transport.publish(events, traced?.headers);
    } catch (err) {
      if (traced) endPublishSpans(traced.spans, err);
      throw err;
    }
    if (traced) endPublishSpans(traced.spans, undefined);
    await tx`update outbox set published_at = now(), attempts = attempts + 1 where seq = any(${rows.map((r) => r.seq)}::bigint[])`;
    return rows;
  });
  // Counted once committed: a reader of the metric then finds the rows marked too.
  const now = Date.now();
  for (const r of published) {
    opts.metrics?.published.inc({ type: r.type });
    opts.metrics?.relayLag.observe({}, Math.max(0, now - r.occurred_at.getTime()) / 1000);
  }
  return published.length;
}

/** Records a failed publish on the oldest pending rows (visible to operators). */
async function notePublishFailure(sql: Sql, message: string): Promise<void> {
  await sql`
    update outbox set attempts = attempts + 1, last_error = ${message}
    where seq in (select seq from outbox where published_at is null order by seq limit 100)`.catch(() => {});
}

/** What the relay has been doing, for the workers' health. */
export interface RelayStats {
  /** Last time the loop went round (ms since epoch): a stuck loop stops moving it. */
  lastTickAt: number;
  lastPublishAt: number | null;
  /** Consecutive failed batches. */
  failures: number;
  lastError: string | null;
}

export interface Relay {
  stop(): Promise<void>;
  /** Resolves once the outbox has no unpublished rows (tests). */
  drained(): Promise<void>;
  stats(): RelayStats;
}

/**
 * Runs the relay until stopped: drains the outbox, then waits for a NOTIFY on
 * `outbox`, the transport's reconnection or the poll interval. Failures back
 * off (jittered, capped at `maxBackoffMs`) and retry; rows stay in the outbox
 * meanwhile (RabbitMQ down → events wait), and a reconnection retries at once.
 */
export function startRelay(
  sql: Sql,
  transport: EventTransport,
  logger: Logger,
  opts: { pollMs?: number; maxBackoffMs?: number; metrics?: EventMetrics } = {},
): Relay {
  let stopped = false;
  let wake: (() => void) | null = null;
  const stats: RelayStats = { lastTickAt: Date.now(), lastPublishAt: null, failures: 0, lastError: null };
  const idleWaiters: (() => void)[] = [];
  const listening = sql
    .listen("outbox", () => wake?.())
    .catch((err: unknown) => {
      logger.warn("LISTEN outbox failed; polling only", { err });
      return null;
    });
  transport.onConnected(() => wake?.());

  /** Sleeps `ms` unless woken (NOTIFY, reconnection, stop). */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = null;
    });

  const loop = (async () => {
    while (!stopped) {
      stats.lastTickAt = Date.now();
      let published = 0;
      try {
        published = await relayBatch(sql, transport, { metrics: opts.metrics });
        if (stats.failures) logger.info("relay recovered", { after_failures: stats.failures });
        stats.failures = 0;
        stats.lastError = null;
      } catch (err) {
        stats.failures++;
        const message = err instanceof Error ? err.message : String(err);
        stats.lastError = message;
        opts.metrics?.publishFailures.inc();
        if (stats.failures === 1 || stats.failures % 20 === 0)
          logger.warn("relay publish failed; events wait in the outbox", {
            err: message,
            failures: stats.failures,
          });
        await notePublishFailure(sql, message);
        const cap = Math.min(100 * 2 ** stats.failures, opts.maxBackoffMs ?? 2000);
        await pause(cap / 2 + Math.random() * (cap / 2));
        continue;
      }
      if (published > 0) {
        stats.lastPublishAt = Date.now();
        continue;
      }
      for (const w of idleWaiters.splice(0)) w();
      await pause(opts.pollMs ?? 1000);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      const l = await listening;
      await l?.unlisten().catch(() => {});
    },
    drained() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake?.();
      });
    },
    stats: () => ({ ...stats }),
  };
}
