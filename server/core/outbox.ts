import type { TxSql } from "../../db/client.ts";

/** Every event type of API.md, plus `user.email_changed` (docs/API.md extensions). */
export type EventType =
  | "product.created"
  | "product.updated"
  | "product.archived"
  | "inventory.changed"
  | "order.placed"
  | "order.paid"
  | "order.cancelled"
  | "order.status_changed"
  | "user.registered"
  | "user.email_changed"
  | "review.created";

export interface DomainEvent<T = Record<string, unknown>> {
  id: string;
  type: EventType;
  occurred_at: string;
  data: T;
}

/**
 * Inserts an event into the outbox inside the caller's transaction, so the
 * event exists if and only if the business write committed.
 */
export async function recordEvent(
  tx: TxSql,
  type: EventType,
  data: Record<string, unknown>,
  aggregateId?: string | number,
): Promise<DomainEvent> {
  const [row] = await tx<{ id: string; occurred_at: Date }[]>`
    insert into outbox (type, aggregate_id, data)
    values (${type}, ${aggregateId === undefined ? null : String(aggregateId)}, ${tx.json(data as Parameters<TxSql["json"]>[0])})
    returning id, occurred_at`;
  return { id: row!.id, type, occurred_at: row!.occurred_at.toISOString(), data };
}
