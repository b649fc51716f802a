import { defineSettings, int, knob } from "../../platform/settings.ts";

/** When `/health` calls the event path degraded or down (listed by `bun scripts/config-table.ts`). */
export const eventsHealthSettings = defineSettings("events health", {
  EVENTS_MAX_WAIT_MS: knob(
    int(100, 86_400_000),
    "30000",
    "an event unpublished for longer than this makes the `queue` entry of `/health` `lagging` (status `degraded`)",
  ),
  WORKERS_STALE_MS: knob(
    int(500, 3_600_000),
    "10000",
    "with RabbitMQ, no workers heartbeat for this long makes the `queue` entry `down`",
  ),
});

/** The parsed events health settings. */
export type EventsHealthSettings = ReturnType<typeof eventsHealthSettings.load>;
