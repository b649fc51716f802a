import type { Sql, TxSql } from "../../db/client.ts";

/** A payment's state: pending while the charge runs, then settled one way or the other. */
export type PaymentStatus = "pending" | "authorized" | "captured" | "declined" | "failed" | "refunded";

/** A payment record. */
export interface PaymentRow {
  id: string;
  order_id: string;
  provider: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  provider_ref: string | null;
  error: string | null;
}

type RawPayment = Omit<PaymentRow, "amount"> & { amount: string };

const toPayment = (r: RawPayment): PaymentRow => ({
  ...r,
  amount: Number(r.amount),
  currency: r.currency.trim(),
});

/** Records a pending payment for an order. */
export async function insertPayment(
  tx: TxSql,
  orderId: string,
  provider: string,
  amount: number,
  currency: string,
): Promise<PaymentRow> {
  const [row] = await tx<RawPayment[]>`
    insert into payments (order_id, provider, status, amount, currency)
    values (${orderId}, ${provider}, 'pending', ${amount}, ${currency})
    returning id, order_id, provider, status, amount, currency, provider_ref, error`;
  return toPayment(row!);
}

/** The payments of the given orders, oldest first. */
export async function paymentsOf(sql: Sql | TxSql, orderIds: string[]): Promise<PaymentRow[]> {
  if (!orderIds.length) return [];
  const rows = await sql<RawPayment[]>`
    select id, order_id, provider, status, amount, currency, provider_ref, error
    from payments where order_id = any(${orderIds}::uuid[]) order by created_at, id`;
  return rows.map(toPayment);
}

/**
 * Notes, in its own statement, that the processor took the money for a payment
 * whose order is not confirmed yet. A pending payment with a provider reference
 * is a capture to give back if the order is then abandoned (see
 * `abandonCheckout`): written before the confirmation so that it survives a
 * confirmation that fails.
 */
export async function recordCapture(sql: Sql, paymentId: string, providerRef: string): Promise<void> {
  await sql`
    update payments set provider_ref = ${providerRef}, updated_at = now()
    where id = ${paymentId} and status = 'pending'`;
}

/** Settles a payment record; returns it as it now is (null for an unknown id). */
export async function setPaymentStatus(
  tx: TxSql,
  paymentId: string,
  status: PaymentStatus,
  fields: { providerRef?: string | null; error?: string | null } = {},
): Promise<PaymentRow | null> {
  const [row] = await tx<RawPayment[]>`
    update payments set status = ${status},
      provider_ref = coalesce(${fields.providerRef ?? null}, provider_ref),
      error = coalesce(${fields.error ?? null}, error),
      updated_at = now()
    where id = ${paymentId}
    returning id, order_id, provider, status, amount, currency, provider_ref, error`;
  return row ? toPayment(row) : null;
}
