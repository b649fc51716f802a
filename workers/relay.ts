import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import type { DomainEvent, EventType } from "../server/core/outbox.ts";
import type { EventTransport } from "./transport.ts";

interface OutboxRow {
  seq: string;
  id: string;
  type: EventType;
  data: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * Publishes one batch of unpublished outbox rows in commit order. Rows are
 * locked (SKIP LOCKED, so several relays can run) and marked published in the
 * same transaction only after the transport confirmed them: a crash before
 * that leaves them to be sent again, and consumers drop the duplicate.
 * Returns how many were published.
 */
export async function relayBatch(sql: Sql, transport: EventTransport, batchSize = 100): Promise<number> {
  return sql.begin(async (tx) => {
    const rows = await tx<OutboxRow[]>`
      select seq, id, type, data, occurred_at from outbox
      where published_at is null
      order by seq
      limit ${batchSize}
      for update skip locked`;
    if (!rows.length) return 0;
    const events: DomainEvent[] = rows.map((r) => ({
      id: r.id,
      type: r.type,
      occurred_at: r.occurred_at.toISOString(),
      data: r.data,
    }));
    await transport.publish(events);
    await tx`update outbox set published_at = now(), attempts = attempts + 1 where seq = any(${rows.map((r) => r.seq)}::bigint[])`;
    return rows.length;
  });
}

/** Records a failed publish on the oldest pending rows (visible to operators). */
async function notePublishFailure(sql: Sql, message: string): Promise<void> {
  await sql`
    update outbox set attempts = attempts + 1, last_error = ${message}
    where seq in (select seq from outbox where published_at is null order by seq limit 100)`.catch(() => {});
}

export interface Relay {
  stop(): Promise<void>;
  /** Resolves once the outbox has no unpublished rows (tests). */
  drained(): Promise<void>;
}

/**
 * Runs the relay until stopped: drains the outbox, then waits for a NOTIFY on
 * `outbox` or the poll interval. Transport failures back off and retry; rows
 * stay in the outbox meanwhile (RabbitMQ down → events wait).
 */
export function startRelay(
  sql: Sql,
  transport: EventTransport,
  logger: Logger,
  opts: { pollMs?: number } = {},
): Relay {
  let stopped = false;
  let wake: (() => void) | null = null;
  let failures = 0;
  const idleWaiters: (() => void)[] = [];
  const listening = sql
    .listen("outbox", () => wake?.())
    .catch((err: unknown) => {
      logger.warn("LISTEN outbox failed; polling only", { err });
      return null;
    });

  const loop = (async () => {
    while (!stopped) {
      let published = 0;
      try {
        published = await relayBatch(sql, transport);
        if (failures) logger.info("relay recovered", { after_failures: failures });
        failures = 0;
      } catch (err) {
        failures++;
        const message = err instanceof Error ? err.message : String(err);
        if (failures === 1 || failures % 20 === 0)
          logger.warn("relay publish failed; events wait in the outbox", { err: message, failures });
        await notePublishFailure(sql, message);
        await Bun.sleep(Math.min(100 * 2 ** failures, 5000));
        continue;
      }
      if (published > 0) continue;
      for (const w of idleWaiters.splice(0)) w();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.pollMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
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
  };
}
