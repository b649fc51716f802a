import type { Sql } from "../db/client.ts";
import type { DomainEvent } from "../server/core/outbox.ts";
import { composeEmail, type Email, type Mailer } from "./consumers/email.ts";

/** Polls `cond` every 25 ms until it holds; throws after `ms`. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  ms = 15_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await Bun.sleep(25);
  }
}

/**
 * A webhook endpoint that counts the deliveries of each event id
 * (X-Webhook-Id). `applied` is what a receiver that drops repeats by id (as
 * the webhook contract asks) applies; `received` counts every POST.
 */
export function startWebhookReceiver(opts: { delayMs?: number } = {}) {
  const received = new Map<string, number>();
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const id = req.headers.get("x-webhook-id") ?? "";
      await req.arrayBuffer();
      received.set(id, (received.get(id) ?? 0) + 1);
      if (opts.delayMs) await Bun.sleep(opts.delayMs);
      return new Response("ok");
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    received,
    total: () => [...received.values()].reduce((a, b) => a + b, 0),
    stop: () => server.stop(true),
  };
}

/** A mailer that keeps what it sent. */
export function recordingMailer(): Mailer & { sent: Email[] } {
  const sent: Email[] = [];
  return {
    sent,
    async send(email) {
      sent.push(email);
    },
  };
}

/** Outbox events of `types`, as the consumers receive them. */
export async function outboxEvents(sql: Sql, types: string[]): Promise<DomainEvent[]> {
  const rows = await sql<
    { id: string; type: DomainEvent["type"]; data: Record<string, unknown>; occurred_at: Date }[]
  >`
    select id, type, data, occurred_at from outbox where type = any(${types}) order by seq`;
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    data: r.data,
    occurred_at: r.occurred_at.toISOString(),
  }));
}

/** The ids of the events that send an email (composeEmail gives one). */
export async function emailingEventIds(sql: Sql, events: DomainEvent[]): Promise<string[]> {
  const out: string[] = [];
  for (const e of events) if (await composeEmail(sql, e)) out.push(e.id);
  return out;
}

/** Counts of each id in `ids`. */
export function countIds(ids: Iterable<string | undefined>): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) if (id) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}
