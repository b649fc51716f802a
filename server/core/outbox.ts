import type { Sql, TxSql } from "../../db/client.ts";
import { headersOf, inSpan, SpanKind } from "../../platform/tracing.ts";

/**
 * Every event type of API.md, plus `user.email_changed` (README, API extensions):
 * the one list (webhook subscriptions are checked against it).
 */
export const EVENT_TYPES = [
  "product.created",
  "product.updated",
  "product.archived",
  "inventory.changed",
  "order.placed",
  "order.paid",
  "order.cancelled",
  "order.status_changed",
  "order.review_required",
  "order.review_approved",
  "order.review_rejected",
  "user.registered",
  "user.email_changed",
  "review.created",
] as const;

/** One event type. */
export type EventType = (typeof EVENT_TYPES)[number];

export interface DomainEvent<T = Record<string, unknown>> {
  id: string;
  type: EventType;
  occurred_at: string;
  data: T;
}

/**
 * Inserts an event into the outbox inside the caller's transaction, so the
 * event exists if and only if the business write committed. With tracing on
 * the row keeps the trace context of its `outbox.write` span, which the relay
 * and the consumers continue.
 */
export function recordEvent(
  tx: TxSql,
  type: EventType,
  data: Record<string, unknown>,
  aggregateId?: string | number,
): Promise<DomainEvent> {
  return inSpan(
    "outbox.write",
    async () => {
      const row = await insertOutboxRow(tx, type, data, aggregateId);
      return { id: row.id, type, occurred_at: row.occurred_at.toISOString(), data };
    },
    { kind: SpanKind.PRODUCER, attributes: { "messaging.destination.name": type } },
  );
}

/** The outbox row, with the trace context of the active span (the `outbox.write` span). */
async function insertOutboxRow(
  tx: TxSql,
  type: EventType,
  data: Record<string, unknown>,
  aggregateId: string | number | undefined,
): Promise<{ id: string; occurred_at: Date }> {
  const trace = headersOf();
  const [row] = await tx<{ id: string; occurred_at: Date }[]>`
    insert into outbox (type, aggregate_id, data, traceparent, tracestate)
    values (${type}, ${aggregateId === undefined ? null : String(aggregateId)}, ${tx.json(data as Parameters<TxSql["json"]>[0])},
            ${trace.traceparent ?? null}, ${trace.tracestate ?? null})
    returning id, occurred_at`;
  return row!;
}

/**
 * Puts a published event back in the queue (the relay sends it again):
 * replaying a dead letter. False when there is no such event.
 */
export async function requeueEvent(tx: TxSql, eventId: string): Promise<boolean> {
  const rows = await tx`
    update outbox set published_at = null, last_error = null where id = ${eventId} returning seq`;
  return rows.length > 0;
}

/** Unpublished outbox rows and the age of the oldest (ms; 0 when none). */
export interface OutboxBacklog {
  unpublished: number;
  oldest_age_ms: number;
}

/** How many events wait for the relay, and for how long the oldest has (cheap: partial index). */
export async function outboxBacklog(sql: Sql): Promise<OutboxBacklog> {
  const [row] = await sql<{ n: number; age_ms: number | null }[]>`
    select count(*)::int as n,
           (extract(epoch from now() - min(occurred_at)) * 1000)::float8 as age_ms
    from outbox where published_at is null`;
  return { unpublished: row?.n ?? 0, oldest_age_ms: Math.max(0, Math.round(row?.age_ms ?? 0)) };
}
