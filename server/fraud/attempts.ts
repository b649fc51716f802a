import { createHash } from "node:crypto";
import type { Sql, TxSql } from "../../db/client.ts";
import type { RiskFeatures } from "./rules.ts";

/** One checkout attempt as the scorer records it. */
export interface Attempt {
  orderId: string;
  userId: number;
  /** Client address, or null when unknown (such attempts share no IP velocity). */
  clientIp: string | null;
  /** The payment token as the client sent it; only its hash is stored. */
  cardToken: string;
  shippingAddress: {
    line1: string;
    line2?: string | undefined;
    city: string;
    postal_code: string;
    country: string;
  };
  amount: number;
  currency: string;
  accountCreatedAt: Date;
  /** When the attempt happened (defaults to the database's now; evaluations replay history). */
  at?: Date;
}

/** Outcomes an attempt ends with. */
export type AttemptOutcome = "paid" | "review" | "declined" | "failed" | "rejected";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const norm = (s: string | undefined) => (s ?? "").toLowerCase().replace(/\s+/g, " ").trim();

/** The hash of an address that ignores case and spacing, so one address counts once. */
export function addressHash(a: Attempt["shippingAddress"]): string {
  return sha256([a.line1, a.line2, a.city, a.postal_code, a.country].map(norm).join("|"));
}

/** The stored form of a card token. */
export const cardHash = (token: string) => sha256(`card:${token}`);

/**
 * Attempts read per account, card and client address: the newest ones. The
 * largest rule threshold is 20 (`ip_velocity`), so counts capped at 50 fire
 * the same rules; the paid history (`paidCount`, `paidMeanAmount`) is that of
 * the account's 50 newest attempts.
 */
export const RECENT_CAP = 50;

interface FeatureRow {
  account_attempts: number;
  account_declines: number;
  ip_attempts: number;
  ip_declines: number;
  card_other_accounts: number;
  card_declines: number;
  addresses: number;
  paid_count: number;
  paid_mean: number | null;
  account_from_ip: number;
  account_held: number;
}

/**
 * Reads an attempt's features in ONE read-only statement (it runs on every
 * checkout, beside the charge): counts over the newest earlier attempts
 * (`RECENT_CAP` each) of the same account, client address or card token. The attempt itself is recorded later
 * by `recordAttempt`, inside the transaction that settles the order, so
 * scoring adds no commit of its own.
 */
export async function readFeatures(sql: Sql | TxSql, a: Attempt): Promise<RiskFeatures> {
  const card = cardHash(a.cardToken);
  const address = addressHash(a.shippingAddress);
  const at = a.at ?? null;
  // The time inline in each scan (not joined from a CTE), so each is a backward index scan that
  // stops at RECENT_CAP rows instead of reading the whole window and sorting it.
  const now = sql`coalesce(${at}::timestamptz, now())`;
  const [row] = await sql<FeatureRow[]>`
    -- The newest attempts of the account (90 days), of the card and of the client address (the
    -- hour their features look at), each capped at RECENT_CAP: every rule threshold is far below
    -- the cap, so capped counts fire the same rules, and a busy account costs what a quiet one does.
    with acct as (
      select f.* from fraud_attempts f
      where f.user_id = ${a.userId} and f.created_at > ${now} - interval '90 days' and f.created_at <= ${now}
      order by f.created_at desc limit ${RECENT_CAP}),
    card as (
      select f.user_id, f.outcome from fraud_attempts f
      where f.card_hash = ${card} and f.created_at > ${now} - interval '1 hour' and f.created_at <= ${now}
      order by f.created_at desc limit ${RECENT_CAP}),
    ip as (
      select f.outcome from fraud_attempts f
      where ${a.clientIp}::text is not null and f.client_ip = ${a.clientIp}
        and f.created_at > ${now} - interval '1 hour' and f.created_at <= ${now}
      order by f.created_at desc limit ${RECENT_CAP})
    select a.*, c.*, i.* from
      (select
         count(*) filter (where created_at > ${now} - interval '1 hour')::int as account_attempts,
         count(*) filter (where outcome = 'declined' and created_at > ${now} - interval '1 hour')::int as account_declines,
         count(distinct address_hash) filter (where address_hash <> ${address}
                                              and created_at > ${now} - interval '24 hours')::int as addresses,
         count(*) filter (where outcome = 'paid')::int as paid_count,
         (avg(amount) filter (where outcome = 'paid'))::float8 as paid_mean,
         count(*) filter (where client_ip = ${a.clientIp} and outcome = 'paid')::int as account_from_ip,
         count(*) filter (where outcome in ('review', 'rejected')
                          and created_at > ${now} - interval '24 hours')::int as account_held
       from acct) a,
      (select count(distinct user_id) filter (where user_id <> ${a.userId})::int as card_other_accounts,
              count(*) filter (where outcome = 'declined')::int as card_declines
       from card) c,
      (select count(*)::int as ip_attempts, count(*) filter (where outcome = 'declined')::int as ip_declines
       from ip) i`;
  const r = row!;
  const t = a.at ?? new Date();
  return {
    amount: a.amount,
    accountAgeHours: Math.max(0, (t.getTime() - a.accountCreatedAt.getTime()) / 3_600_000),
    accountAttempts1h: r.account_attempts,
    accountDeclines1h: r.account_declines,
    ipAttempts1h: a.clientIp ? r.ip_attempts : 0,
    ipDeclines1h: a.clientIp ? r.ip_declines : 0,
    cardOtherAccounts1h: r.card_other_accounts,
    cardDeclines1h: r.card_declines,
    // Other addresses seen, plus this one.
    addresses24h: r.addresses + 1,
    accountAttemptsFromIp: a.clientIp ? r.account_from_ip : 0,
    accountHeld24h: r.account_held,
    ipKnown: a.clientIp !== null,
    paidCount: r.paid_count,
    paidMeanAmount: r.paid_mean ?? 0,
  };
}

/** Records a settled attempt (call it in the transaction that settles the order). */
export async function recordAttempt(
  sql: Sql | TxSql,
  a: Attempt,
  outcome: AttemptOutcome,
  score: number,
): Promise<void> {
  await sql`
    insert into fraud_attempts (order_id, user_id, client_ip, card_hash, address_hash, amount, currency,
                                score, outcome, created_at)
    values (${a.orderId}, ${a.userId}, ${a.clientIp}, ${cardHash(a.cardToken)}, ${addressHash(a.shippingAddress)},
            ${a.amount}, ${a.currency}, ${score}, ${outcome}, coalesce(${a.at ?? null}::timestamptz, now()))`;
}

/** Changes a recorded attempt's outcome (a staff decision on a held order). */
export async function setAttemptOutcome(
  sql: Sql | TxSql,
  orderId: string,
  outcome: AttemptOutcome,
): Promise<void> {
  await sql`update fraud_attempts set outcome = ${outcome} where order_id = ${orderId}`;
}
