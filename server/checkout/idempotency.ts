import { createHash } from "node:crypto";
import type { Sql, TxSql } from "../../db/client.ts";
import { settledOrders } from "../orders/store.ts";

/** A response kept for replay: status and JSON body. */
export interface StoredResponse {
  status: number;
  body: Record<string, unknown>;
}

/** What claiming a key found. */
export type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Fingerprint of a checkout request: the validated body with keys sorted (so
 * key order and whitespace do not matter) plus the cart it names.
 */
export function requestHash(body: unknown, cartToken: string | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify([canonical(body), cartToken ?? null]))
    .digest("hex");
}

/**
 * A claim with no order this old belongs to a process that died before its
 * order transaction committed; a checkout never spends this long there.
 */
const STALE_CLAIM_S = 60;

interface KeyRow {
  order_id: string | null;
  stale: boolean;
  request_hash: string;
  status: "in_progress" | "completed";
  response_status: number | null;
  response_body: Record<string, unknown> | null;
}

/**
 * Claims (user, key) for this request. The insert is the lock: of concurrent
 * requests with one key exactly one inserts; the others see its row and get
 * the stored response, a body mismatch, or "still running".
 */
export async function claimKey(
  sql: Sql,
  userId: number,
  key: string,
  hash: string,
  attempt = 0,
): Promise<Claim> {
  const inserted = await sql`
    insert into idempotency_keys (user_id, key, request_hash) values (${userId}, ${key}, ${hash})
    on conflict (user_id, key) do nothing returning key`;
  if (inserted.length) return { kind: "claimed" };
  const [row] = await sql<KeyRow[]>`
    select request_hash, status, response_status, response_body, order_id,
           updated_at < now() - make_interval(secs => ${STALE_CLAIM_S}) as stale
    from idempotency_keys where user_id = ${userId} and key = ${key}`;
  // Released between our insert and select: the earlier attempt gave the key back; try again.
  if (!row) return attempt < 3 ? claimKey(sql, userId, key, hash, attempt + 1) : { kind: "in_progress" };
  if (row.request_hash !== hash) return { kind: "mismatch" };
  if (row.status === "completed" && row.response_status !== null && row.response_body) {
    return { kind: "replay", response: { status: row.response_status, body: row.response_body } };
  }
  if (row.stale && row.order_id === null) {
    // The claimer died before creating an order (nothing to clean up): take the key over.
    const taken = await sql`
      update idempotency_keys set updated_at = now()
      where user_id = ${userId} and key = ${key} and status = 'in_progress' and order_id is null
        and updated_at < now() - make_interval(secs => ${STALE_CLAIM_S})
      returning key`;
    if (taken.length) return { kind: "claimed" };
  }
  return { kind: "in_progress" };
}

/** Links the claim to the order it created (in the order's transaction). */
export async function attachOrder(tx: TxSql, userId: number, key: string, orderId: string): Promise<void> {
  await tx`update idempotency_keys set order_id = ${orderId}, updated_at = now()
           where user_id = ${userId} and key = ${key}`;
}

/**
 * Stores the final response; later requests with the key get it back.
 * `orderId` is the order of the attempt that settles (null before one was
 * made): an attempt whose key the sweeper released and a retry claimed again
 * must not overwrite the retry's claim when its late answer arrives.
 */
export async function completeKey(
  sql: Sql | TxSql,
  userId: number,
  key: string,
  response: StoredResponse,
  orderId: string | null,
): Promise<void> {
  await sql`
    update idempotency_keys set status = 'completed', response_status = ${response.status},
      response_body = ${sql.json(response.body as Parameters<Sql["json"]>[0])}, updated_at = now()
    where user_id = ${userId} and key = ${key} and status = 'in_progress'
      and order_id is not distinct from ${orderId}::uuid`;
}

/**
 * Gives the key back without a stored answer, for outcomes worth retrying
 * with the same key (processor outage, empty cart, expired reservation).
 * `orderId` as for `completeKey`.
 */
export async function releaseKey(
  sql: Sql | TxSql,
  userId: number,
  key: string,
  orderId: string | null,
): Promise<void> {
  await sql`
    delete from idempotency_keys
    where user_id = ${userId} and key = ${key} and status = 'in_progress'
      and order_id is not distinct from ${orderId}::uuid`;
}

/** Gives back the key whose checkout created `orderId` (the sweeper's side of a crash). */
export async function releaseKeyOfOrder(tx: TxSql, orderId: string): Promise<void> {
  await tx`delete from idempotency_keys where order_id = ${orderId} and status = 'in_progress'`;
}

/**
 * How long a claim whose order has already left `pending` some other way may
 * stay in progress: longer than any live checkout can still be charging
 * (PAYMENT_TIMEOUT_MS is at most 120 s), so only orphans are released.
 */
const ORPHAN_CLAIM_S = 600;

/**
 * Releases claims left in progress by a checkout that died after its order
 * transaction when the order was then settled without it (cancelled by its
 * owner or by staff): the sweeper only handles orders still pending, so
 * without this the key would answer "in progress" for ever. Returns how many.
 */
export async function releaseOrphanedKeys(sql: Sql, limit = 1000): Promise<number> {
  const old = await sql<{ order_id: string }[]>`
    select order_id from idempotency_keys
    where status = 'in_progress' and order_id is not null
      and updated_at < now() - make_interval(secs => ${ORPHAN_CLAIM_S})
    limit ${limit}`;
  const settled = await settledOrders(
    sql,
    old.map((k) => k.order_id),
  );
  if (!settled.length) return 0;
  const rows = await sql`
    delete from idempotency_keys
    where status = 'in_progress' and order_id = any(${settled}::uuid[])
      and updated_at < now() - make_interval(secs => ${ORPHAN_CLAIM_S})
    returning 1`;
  return rows.length;
}

/** How long a finished checkout's answer stays available for replay. */
export const KEY_RETENTION_HOURS = 24;

/** Deletes finished keys older than the retention (in batches, so each run stays short). */
export async function purgeOldKeys(sql: Sql, limit = 1000): Promise<number> {
  const rows = await sql`
    delete from idempotency_keys where ctid in (
      select ctid from idempotency_keys
      where status = 'completed' and updated_at < now() - make_interval(hours => ${KEY_RETENTION_HOURS})
      limit ${limit})
    returning 1`;
  return rows.length;
}
