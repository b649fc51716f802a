import type { TraceHeaders } from "../platform/tracing.ts";
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
  /**
   * `trace[i]` is the W3C trace context of `events[i]` (the relay's publish
   * span), carried as message headers, never inside the event itself.
   */
  publish(events: DomainEvent[], trace?: readonly TraceHeaders[]): Promise<void>;
  subscribe(consumer: ConsumerSpec): Promise<void>;
  close(): Promise<void>;
  /** The broker connection as the workers see it (always connected in process). */
  status(): TransportStatus;
  /** Calls `fn` each time a (re)connection is ready, so the relay retries at once. */
  onConnected(fn: () => void): void;
  /** Messages waiting in each consumer's queue (empty when the transport has no queues or is down). */
  backlog(): Promise<Record<string, number>>;
}

/** Connection state reported by the workers' health and heartbeat. */
export interface TransportStatus {
  connected: boolean;
  /** When the current connection was made, or when it was lost (ISO time). */
  since: string;
  /** Connections made after a loss. */
  reconnects: number;
  lastError: string | null;
}

/** True when a consumer wants an event type. */
export function wants(consumer: Pick<ConsumerSpec, "types">, type: string): boolean {
  return consumer.types === "*" || consumer.types.includes(type);
}
