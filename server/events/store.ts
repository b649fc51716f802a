import { randomBytes } from "node:crypto";
import type { Database, Sql } from "../../db/client.ts";
import { requeueEvent } from "../core/outbox.ts";
import { offsetOf, type PageParams } from "../core/paging.ts";

/**
 * The events admin's tables: webhook endpoints and their deliveries, and the
 * dead letters of the consumers (replaying one re-queues its outbox row).
 */

/** A webhook endpoint as the admin API shows it (never its secret). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  created_at: Date;
}

/** Every endpoint, oldest first. */
export function listEndpoints(sql: Sql): Promise<WebhookEndpoint[]> {
  return sql<WebhookEndpoint[]>`
    select id, url, events, active, created_at from webhook_endpoints order by created_at`;
}

/** Creates an endpoint; a secret is generated unless given. Returns it with its secret (shown once). */
export async function createEndpoint(
  sql: Sql,
  input: { url: string; events: string[]; secret?: string | undefined },
): Promise<WebhookEndpoint & { secret: string }> {
  const secret = input.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
  const [row] = await sql<WebhookEndpoint[]>`
    insert into webhook_endpoints (url, events, secret) values (${input.url}, ${input.events}, ${secret})
    returning id, url, events, active, created_at`;
  return { ...row!, secret };
}

/** Deletes an endpoint; false when there was none. */
export async function deleteEndpoint(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`delete from webhook_endpoints where id = ${id} returning id`;
  return rows.length > 0;
}

/** One page of an endpoint's deliveries, newest first; null when the endpoint does not exist. */
export async function listDeliveries(
  sql: Sql,
  endpointId: string,
  q: PageParams,
): Promise<{ items: Record<string, unknown>[]; total: number } | null> {
  const [ep] = await sql`select 1 from webhook_endpoints where id = ${endpointId}`;
  if (!ep) return null;
  const [items, [count]] = await Promise.all([
    sql`
      select id, event_id, event_type, attempt, status_code, error, duration_ms, created_at
      from webhook_deliveries where endpoint_id = ${endpointId}
      order by id desc limit ${q.page_size} offset ${offsetOf(q)}`,
    sql<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where endpoint_id = ${endpointId}`,
  ]);
  return { items: [...items], total: count?.n ?? 0 };
}

/** One page of dead letters, newest first; replayed ones only when `includeReplayed`. */
export async function listDeadLetters(
  sql: Sql,
  q: PageParams,
  includeReplayed: boolean,
): Promise<{ items: Record<string, unknown>[]; total: number }> {
  const [items, [count]] = await Promise.all([
    sql`
      select id, consumer, event_id, event, error, attempts, created_at, replayed_at from dead_letters
      where ${includeReplayed} or replayed_at is null
      order by id desc limit ${q.page_size} offset ${offsetOf(q)}`,
    sql<{ n: number }[]>`
      select count(*)::int as n from dead_letters where ${includeReplayed} or replayed_at is null`,
  ]);
  return { items: [...items], total: count?.n ?? 0 };
}

/**
 * Replays a dead letter: marks it replayed and re-queues its original outbox
 * row. Consumers that already processed the event skip it (processed_events),
 * so only the failed one runs again. Null when there is no such dead letter.
 */
export function replayDeadLetter(
  db: Database,
  id: number,
): Promise<{ event_id: string; requeued: boolean } | null> {
  return db.tx(async (tx) => {
    const [dl] = await tx<{ event_id: string }[]>`
      select event_id from dead_letters where id = ${id} for update`;
    if (!dl) return null;
    await tx`update dead_letters set replayed_at = now() where id = ${id}`;
    return { event_id: dl.event_id, requeued: await requeueEvent(tx, dl.event_id) };
  });
}
