import { readFile } from "node:fs/promises";
import type postgres from "postgres";
import type { WebhookReceiver } from "./receiver.ts";

/** One checked promise and what was found. */
export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

/** Event types the chaos webhook endpoint subscribes to. */
export const ORDER_EVENTS = ["order.placed", "order.paid", "order.cancelled"];
/** Of those, the ones the email consumer writes an email for (each carries its user). */
const EMAIL_EVENTS = ORDER_EVENTS;

/** Ids of the emails the workers wrote (the log mailer's `email` lines, every incarnation). */
export async function emailsWritten(files: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      if (!line.includes('"msg":"email"')) continue;
      try {
        const id = (JSON.parse(line) as { id?: string }).id;
        if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      } catch {}
    }
  }
  return counts;
}

/** Unpublished events, and the order events still missing at an effect (for waiting on recovery). */
export async function pendingEffects(
  sql: postgres.Sql,
  receiver: WebhookReceiver,
  emails: Map<string, number>,
): Promise<{ unpublished: number; missingWebhooks: number; missingEmails: number; missingRecords: number }> {
  const [u] = await sql<{ n: number }[]>`select count(*)::int as n from outbox where published_at is null`;
  const [r] = await sql<{ n: number }[]>`
    select count(*)::int as n from outbox e cross join (values ('email'), ('webhooks')) c(consumer)
    where e.type = any(${ORDER_EVENTS})
      and not exists (select 1 from processed_events p where p.consumer = c.consumer and p.event_id = e.id)`;
  const events = await sql<
    { id: string; type: string }[]
  >`select id, type from outbox where type = any(${ORDER_EVENTS})`;
  return {
    unpublished: u!.n,
    missingWebhooks: events.filter((e) => !receiver.received.has(e.id)).length,
    missingEmails: events.filter((e) => EMAIL_EVENTS.includes(e.type) && !emails.has(e.id)).length,
    missingRecords: r!.n,
  };
}

/** Raw repeats so far (POSTs of an event id beyond the first; emails likewise). */
export interface Repeats {
  webhooks: number;
  emails: number;
}

const repeatsOf = (counts: Map<string, number>) =>
  [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);

/** Repeats seen so far, so a scenario is judged only on the ones it caused. */
export function repeatsSoFar(receiver: WebhookReceiver, emails: Map<string, number>): Repeats {
  return { webhooks: repeatsOf(receiver.received), emails: repeatsOf(emails) };
}

/**
 * The promises every scenario must keep, checked on the data and on the
 * effects: each committed order's events reached the webhook receiver and the
 * email log (applied once per event id; raw repeats only up to `maxRepeats`,
 * the deliveries in flight at a crash), each consumer recorded each event
 * once, stock = initial − sold + released, every order has its payment, no
 * event left unpublished.
 */
export async function checkInvariants(
  sql: postgres.Sql,
  receiver: WebhookReceiver,
  emails: Map<string, number>,
  initialStock: Map<string, number>,
  maxRepeats: number,
  before: Repeats,
): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (name: string, pass: boolean, detail: string) => checks.push({ name, pass, detail });

  const [unpub] = await sql<
    { n: number }[]
  >`select count(*)::int as n from outbox where published_at is null`;
  add("no event left unpublished", unpub!.n === 0, `${unpub!.n} unpublished`);

  const [orphans] = await sql<{ n: number; orders: number }[]>`
    select count(*) filter (where not exists (select 1 from payments p where p.order_id = o.id))::int as n,
           count(*)::int as orders
    from orders o`;
  add(
    "every order has its payment record",
    orphans!.n === 0,
    `${orphans!.orders} orders, ${orphans!.n} without payment`,
  );

  const [unannounced] = await sql<{ n: number }[]>`
    select count(*)::int as n from orders o where not exists (
      select 1 from outbox e where e.type = 'order.placed' and e.data->>'order_id' = o.id::text)`;
  add("every order has its order.placed event", unannounced!.n === 0, `${unannounced!.n} without`);

  const events = await sql<
    { id: string; type: string }[]
  >`select id, type from outbox where type = any(${ORDER_EVENTS})`;
  const missingHooks = events.filter((e) => !receiver.received.has(e.id)).length;
  const repeatedHooks = repeatsOf(receiver.received) - before.webhooks;
  add(
    "each order event applied once at the webhook receiver",
    missingHooks === 0 && repeatedHooks <= maxRepeats,
    `${events.length} events, ${missingHooks} missing, ${repeatedHooks} repeated POSTs in this scenario (allowed ${maxRepeats})`,
  );
  const emailing = events.filter((e) => EMAIL_EVENTS.includes(e.type));
  const missingMails = emailing.filter((e) => !emails.has(e.id)).length;
  const repeatedMails = repeatsOf(emails) - before.emails;
  add(
    "each order event's email written once",
    missingMails === 0 && repeatedMails <= maxRepeats,
    `${emailing.length} emails expected, ${missingMails} missing, ${repeatedMails} repeated in this scenario (allowed ${maxRepeats})`,
  );
  const [records] = await sql<{ missing: string | null; hook_dupes: number }[]>`
    select
      (select string_agg(c.consumer || ' ' || e.type || ' ' || e.id::text, ', ') from outbox e
        cross join (values ('email'), ('webhooks')) c(consumer)
        where e.type = any(${ORDER_EVENTS})
          and not exists (select 1 from processed_events p where p.consumer = c.consumer and p.event_id = e.id)) as missing,
      (select count(*)::int from (
        select event_id from webhook_deliveries where status_code between 200 and 299
        group by endpoint_id, event_id having count(*) > 1) d) as hook_dupes`;
  add(
    "consumers recorded each event once",
    !records!.missing && records!.hook_dupes === 0,
    `not recorded: ${records!.missing ?? "none"}; ${records!.hook_dupes} events with two successful deliveries`,
  );

  const skus = [...initialStock.keys()];
  const rows = await sql<{ sku: string; quantity: number; sold: number; released: number }[]>`
    select i.sku, i.quantity,
      coalesce((select sum(l.quantity) from order_lines l where l.sku = i.sku), 0)::int as sold,
      coalesce((select sum(l.quantity) from order_lines l join orders o on o.id = l.order_id
                where l.sku = i.sku and o.stock_released), 0)::int as released
    from inventory i where i.sku = any(${skus})`;
  const wrong = rows.filter((r) => r.quantity !== initialStock.get(r.sku)! - r.sold + r.released);
  const sold = rows.reduce((n, r) => n + r.sold, 0);
  const released = rows.reduce((n, r) => n + r.released, 0);
  add(
    "stock = initial − sold + released",
    wrong.length === 0,
    `${rows.length} SKUs, ${sold} sold, ${released} back from cancelled orders${wrong.length ? `; wrong: ${wrong.map((w) => w.sku).join(", ")}` : ""}`,
  );
  return checks;
}
