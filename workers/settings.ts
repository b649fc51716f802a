import { z } from "zod";
import { defineSettings, int, knob } from "../platform/settings.ts";

/** Settings of the workers process (listed by `bun scripts/config-table.ts`). */
export const workerSettings = defineSettings("workers", {
  WORKERS_HEALTH_PORT: knob(
    int(0, 65535),
    "9190",
    "workers' HTTP port: `/healthz` (liveness, 503 when wedged), `/health` (state), `/metrics`; 0 = any free port",
  ),
  WORKERS_HEARTBEAT_MS: knob(
    int(100, 60_000),
    "2000",
    "how often the workers record their state (broker connection, backlog) for the apps' `/health`",
  ),
  WORKERS_STALL_MS: knob(
    int(1000, 3_600_000),
    "60000",
    "relay loop and consumers without progress this long: `/healthz` answers 503 and the workers exit to be restarted",
  ),
  AMQP_PREFIX: knob(
    z.string().regex(/^[\w.-]+$/, "letters, digits, '.', '-' or '_'"),
    "commerce",
    "name prefix of the RabbitMQ exchange (`<prefix>.events`) and queues (`<prefix>.<consumer>`)",
  ),
  AMQP_RECONNECT_MAX_MS: knob(
    int(100, 600_000),
    "5000",
    "cap of the jittered exponential backoff between RabbitMQ reconnect attempts",
  ),
  AMQP_CONFIRM_TIMEOUT_MS: knob(
    int(100, 600_000),
    "10000",
    "a batch the broker has not confirmed within this is published again on a fresh connection",
  ),
});

/** The parsed workers settings. */
export type WorkerSettings = ReturnType<typeof workerSettings.load>;
