import type { Sql, TxSql } from "../../db/client.ts";

/** One audited suggestion and the decision on it. */
export interface AdviceRecord {
  id: number;
  sku: string;
  current_price: number;
  suggested_price: number | null;
  currency: string;
  elasticity: number | null;
  reasons: string[];
  requested_by: number;
  created_at: string;
  decision: "accepted" | "rejected" | null;
  decided_by: number | null;
  decided_at: string | null;
  note: string | null;
}

interface Row
  extends Omit<
    AdviceRecord,
    "id" | "current_price" | "suggested_price" | "requested_by" | "decided_by" | "created_at" | "decided_at"
  > {
  id: string;
  current_price: string;
  suggested_price: string | null;
  requested_by: string;
  decided_by: string | null;
  created_at: Date;
  decided_at: Date | null;
}

const columns = (sql: Sql | TxSql) => sql`
  id, sku, current_price, suggested_price, currency, elasticity, reasons, requested_by, created_at,
  decision, decided_by, decided_at, note`;

const toRecord = (r: Row): AdviceRecord => ({
  ...r,
  id: Number(r.id),
  currency: r.currency.trim(),
  current_price: Number(r.current_price),
  suggested_price: r.suggested_price === null ? null : Number(r.suggested_price),
  requested_by: Number(r.requested_by),
  decided_by: r.decided_by === null ? null : Number(r.decided_by),
  created_at: r.created_at.toISOString(),
  decided_at: r.decided_at?.toISOString() ?? null,
});

/** Stores a suggestion as shown to staff. */
export async function insertAdvice(
  sql: Sql | TxSql,
  a: {
    sku: string;
    currentPrice: number;
    suggestedPrice: number | null;
    currency: string;
    elasticity: number | null;
    reasons: string[];
    requestedBy: number;
  },
): Promise<AdviceRecord> {
  const [row] = await sql<Row[]>`
    insert into pricing_advice (sku, current_price, suggested_price, currency, elasticity, reasons, requested_by)
    values (${a.sku}, ${a.currentPrice}, ${a.suggestedPrice}, ${a.currency}, ${a.elasticity}, ${sql.json(a.reasons)}, ${a.requestedBy})
    returning ${columns(sql)}`;
  return toRecord(row!);
}

/** Records a decision on an undecided suggestion; null when there is none such (unknown or already decided). */
export async function decideAdvice(
  sql: Sql | TxSql,
  id: number,
  decision: "accepted" | "rejected",
  staffId: number,
  note: string | null,
): Promise<AdviceRecord | null> {
  const [row] = await sql<Row[]>`
    update pricing_advice set decision = ${decision}, decided_by = ${staffId}, decided_at = now(), note = ${note}
    where id = ${id} and decision is null
    returning ${columns(sql)}`;
  return row ? toRecord(row) : null;
}

/** The audit trail, newest first, optionally for one SKU. */
export async function listAdvice(sql: Sql, sku: string | undefined, limit: number): Promise<AdviceRecord[]> {
  const rows = await sql<Row[]>`
    select ${columns(sql)} from pricing_advice ${sku ? sql`where sku = ${sku}` : sql``}
    order by created_at desc, id desc limit ${limit}`;
  return rows.map(toRecord);
}
