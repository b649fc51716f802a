import type { DomainEvent } from "../server/core/outbox.ts";

/** Handles one event; throwing asks for a retry. */
export type EventHandler = (event: DomainEvent) => Promise<void>;

/** A named consumer and the event types it wants ("*" for all). */
export interface ConsumerSpec {
  name: string;
  types: string[] | "*";
  handle: EventHandler;
}

/**
 * Moves events from the outbox relay to consumers. `publish` resolves only
 * when the events are durably handed over (RabbitMQ publisher confirms, or,
 * in process, once every consumer has processed or dead-lettered them), so the
 * relay never marks an event published that could still be lost.
 */
export interface EventTransport {
  readonly kind: "rabbitmq" | "in-process";
  publish(events: DomainEvent[]): Promise<void>;
  subscribe(consumer: ConsumerSpec): Promise<void>;
  close(): Promise<void>;
}

/** True when a consumer wants an event type. */
export function wants(consumer: Pick<ConsumerSpec, "types">, type: string): boolean {
  return consumer.types === "*" || consumer.types.includes(type);
}
