import type { Sql } from "../../db/client.ts";
import type { Logger } from "../../platform/logger.ts";
import { inSpan, SpanKind } from "../../platform/tracing.ts";
import type { DomainEvent } from "../../server/core/outbox.ts";
import { getUserById } from "../../server/users/queries.ts";
import type { ConsumerSpec } from "../transport.ts";

/** One outgoing message. */
export interface Email {
  /** The event id: a stable Message-ID, so a resend after a crash is recognisable. */
  id?: string;
  to: string;
  subject: string;
  text: string;
}

/** Sends email; the log mailer stands in when no SMTP server is configured. */
export interface Mailer {
  send(email: Email): Promise<void>;
}

/** Writes each email as a log line instead of sending it. */
export function logMailer(logger: Logger): Mailer {
  return {
    async send(email) {
      logger.info("email", { id: email.id, to: email.to, subject: email.subject });
    },
  };
}

const money = (minor: unknown, currency: unknown) =>
  typeof minor === "number"
    ? `${(minor / 100).toFixed(2)} ${typeof currency === "string" ? currency : ""}`.trim()
    : "";

async function emailOf(sql: Sql, data: Record<string, unknown>): Promise<string | null> {
  if (typeof data.email === "string") return data.email;
  const id = data.user_id;
  const userId = typeof id === "number" || typeof id === "string" ? Number(id) : Number.NaN;
  if (!Number.isSafeInteger(userId) || userId <= 0) return null;
  return (await getUserById(sql, userId))?.email ?? null;
}

/** Builds the message for an event, or null when the event sends none. */
export async function composeEmail(sql: Sql, event: DomainEvent): Promise<Email | null> {
  const d = event.data;
  // An email change is told to the address the account had, not the new one.
  const to =
    event.type === "user.email_changed" && typeof d.old_email === "string"
      ? d.old_email
      : await emailOf(sql, d);
  if (!to) return null;
  switch (event.type) {
    case "user.registered":
      return {
        to,
        subject: "Welcome to the shop",
        text: `Hello ${typeof d.name === "string" ? d.name : ""}, your account is ready.`,
      };
    case "user.email_changed":
      return {
        to,
        subject: "The email address of your account was changed",
        text:
          `The email address of your shop account was changed to ${String(d.new_email ?? "")}.\n` +
          "If you did not do this, contact us right away: someone may have access to your account.",
      };
    case "order.placed":
      return {
        to,
        subject: `Order ${String(d.order_id ?? d.id ?? "")} received`,
        text: `We received your order. Total: ${money(d.total, d.currency)}.`,
      };
    case "order.paid":
      return {
        to,
        subject: `Order ${String(d.order_id ?? d.id ?? "")} confirmed`,
        text: "Your payment was accepted; we are preparing your order.",
      };
    case "order.cancelled":
      return {
        to,
        subject: `Order ${String(d.order_id ?? d.id ?? "")} cancelled`,
        text: "Your order was cancelled. Any payment will be refunded.",
      };
    case "order.status_changed":
      return {
        to,
        subject: `Order ${String(d.order_id ?? d.id ?? "")} is ${String(d.to ?? d.status ?? "updated")}`,
        text: "The status of your order changed.",
      };
    default:
      return null;
  }
}

/** Sends customer emails for account and order events. */
export function emailConsumer(sql: Sql, mailer: Mailer): ConsumerSpec {
  return {
    name: "email",
    types: [
      "user.registered",
      "user.email_changed",
      "order.placed",
      "order.paid",
      "order.cancelled",
      "order.status_changed",
    ],
    async handle(event) {
      const email = await composeEmail(sql, event);
      if (email)
        await inSpan("email.send", () => mailer.send({ ...email, id: event.id }), { kind: SpanKind.CLIENT });
    },
  };
}
