import { createHmac } from "node:crypto";
import type { Sql } from "../../db/client.ts";
import type { Logger } from "../../platform/logger.ts";
import { inSpan, SpanKind } from "../../platform/tracing.ts";
import type { DomainEvent } from "../../server/core/outbox.ts";
import type { Resolver } from "../../server/events/webhook-url.ts";
import type { ConsumerSpec } from "../transport.ts";
import { safePost } from "./safe-fetch.ts";

/** `v1=<hex HMAC-SHA256 of "timestamp.body">` with the endpoint's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

interface Endpoint {
  id: string;
  url: string;
  secret: string;
}

/**
 * Delivers events to subscribed webhook endpoints. Each attempt is recorded
 * in webhook_deliveries; an endpoint that already answered 2xx for this event
 * is skipped on a retry, so one failing endpoint does not re-send to the others.
 */
export function webhookConsumer(
  sql: Sql,
  logger: Logger,
  opts: { timeoutMs?: number; allowPrivate?: boolean; resolve?: Resolver } = {},
): ConsumerSpec {
  return {
    name: "webhooks",
    types: "*",
    async handle(event: DomainEvent) {
      const endpoints = await sql<Endpoint[]>`
        select id, url, secret from webhook_endpoints
        where active and (${event.type} = any(events) or '*' = any(events))`;
      const failures: string[] = [];
      const body = JSON.stringify(event);
      for (const ep of endpoints) {
        const [prior] = await sql<{ n: number; delivered: boolean }[]>`
          select count(*)::int as n, coalesce(bool_or(status_code between 200 and 299), false) as delivered
          from webhook_deliveries where endpoint_id = ${ep.id} and event_id = ${event.id}`;
        if (prior?.delivered) continue;
        const n = prior?.n ?? 0;
        const timestamp = Math.floor(Date.now() / 1000);
        const started = performance.now();
        let status: number | null = null;
        let error: string | null = null;
        try {
          // Checked again here (the address may have changed since registration) and sent to
          // the address that was checked; redirects are not followed.
          status = await inSpan(
            "webhook.deliver",
            async (span) => {
              const code = await safePost(ep.url, {
                headers: {
                  "Content-Type": "application/json",
                  "User-Agent": "commerce-webhooks/1",
                  "X-Webhook-Id": event.id,
                  "X-Webhook-Timestamp": String(timestamp),
                  "X-Webhook-Signature": signWebhook(ep.secret, timestamp, body),
                },
                body,
                timeoutMs: opts.timeoutMs ?? 10_000,
                allowPrivate: opts.allowPrivate ?? false,
                resolve: opts.resolve,
              });
              span?.setAttribute("http.response.status_code", code);
              return code;
            },
            { kind: SpanKind.CLIENT, attributes: { "webhook.endpoint_id": String(ep.id), attempt: n + 1 } },
          );
          if (status < 200 || status > 299) error = `HTTP ${status}`;
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
        await sql`
          insert into webhook_deliveries (endpoint_id, event_id, event_type, attempt, status_code, error, duration_ms)
          values (${ep.id}, ${event.id}, ${event.type}, ${n + 1}, ${status}, ${error}, ${Math.round(performance.now() - started)})`;
        if (error) failures.push(`${ep.url}: ${error}`);
      }
      if (failures.length) {
        logger.warn("webhook delivery failed", { event: event.id, failures });
        throw new Error(`webhook delivery failed: ${failures.join("; ")}`);
      }
    },
  };
}
