import { hostname } from "node:os";
import type { Sql } from "../db/client.ts";
import type { Logger } from "../platform/logger.ts";
import { contentType } from "../platform/metrics.ts";
import { outboxBacklog } from "../server/core/outbox.ts";
import type { EventsHealthSettings } from "../server/ops/settings.ts";
import { recordWorkerState, removeWorkerState } from "../server/ops/worker-state.ts";
import type { EventMetrics } from "./metrics.ts";
import type { Relay } from "./relay.ts";
import type { WorkerSettings } from "./settings.ts";
import type { EventTransport } from "./transport.ts";

/** What the workers know about themselves, refreshed every heartbeat. */
export interface WorkersSnapshot {
  status: "ok" | "degraded" | "down";
  /** False when the relay loop has not moved for WORKERS_STALL_MS: restart the process. */
  live: boolean;
  transport: EventTransport["kind"];
  broker: ReturnType<EventTransport["status"]>;
  database: { up: boolean; error?: string };
  unpublished: number;
  oldest_unpublished_age_ms: number;
  consumer_backlog: Record<string, number>;
  relay: ReturnType<Relay["stats"]> & { stalled_ms: number };
}

export interface WorkersMonitorOptions {
  sql: Sql;
  transport: EventTransport;
  relay: Relay;
  metrics: EventMetrics;
  logger: Logger;
  settings: Pick<WorkerSettings, "WORKERS_HEALTH_PORT" | "WORKERS_HEARTBEAT_MS" | "WORKERS_STALL_MS">;
  limits: EventsHealthSettings;
  /** Interface the HTTP endpoint binds. */
  host: string;
  /** Called once when the relay is found wedged (main exits so the supervisor restarts it). */
  onWedged?: () => void;
  /** When a consumer handler last started or finished (ms since epoch). */
  lastConsumerProgress?: () => number;
}

export interface WorkersMonitor {
  /** The HTTP port (null when it could not bind). */
  readonly port: number | null;
  snapshot(): WorkersSnapshot;
  /** Refreshes the snapshot and writes the heartbeat now (tests). */
  beat(): Promise<WorkersSnapshot>;
  stop(): Promise<void>;
}

/**
 * The workers' own health: every WORKERS_HEARTBEAT_MS it reads the outbox
 * backlog and the consumers' queue depths, updates the event metrics, and
 * records the state in `worker_heartbeats` (what the apps' `/health` reports).
 * An HTTP endpoint answers `/healthz` (liveness: 503 once the relay loop and
 * the consumers have not moved for WORKERS_STALL_MS, so an orchestrator
 * restarts the process), `/health` (the snapshot;
 * 503 while the broker or the database is unreachable) and `/metrics`.
 */
export function startWorkersMonitor(o: WorkersMonitorOptions): WorkersMonitor {
  const workerId = `${hostname()}:${process.pid}`;
  const startedAt = new Date();
  let wedgedReported = false;
  let heartbeatFailures = 0;
  let current: WorkersSnapshot = build({ up: true }, { unpublished: 0, oldest_age_ms: 0 }, {});

  function build(
    database: WorkersSnapshot["database"],
    backlog: { unpublished: number; oldest_age_ms: number },
    consumerBacklog: Record<string, number>,
  ): WorkersSnapshot {
    const broker = o.transport.status();
    const relay = o.relay.stats();
    // Stuck = the relay loop has not gone round and no consumer has moved either
    // (in process, a long batch keeps the relay waiting on busy consumers).
    const stalledMs = Date.now() - Math.max(relay.lastTickAt, o.lastConsumerProgress?.() ?? 0);
    const live = stalledMs < o.settings.WORKERS_STALL_MS;
    const down = !broker.connected || !database.up || !live;
    const lagging = backlog.oldest_age_ms > o.limits.EVENTS_MAX_WAIT_MS;
    return {
      status: down ? "down" : lagging ? "degraded" : "ok",
      live,
      transport: o.transport.kind,
      broker,
      database,
      unpublished: backlog.unpublished,
      oldest_unpublished_age_ms: backlog.oldest_age_ms,
      consumer_backlog: consumerBacklog,
      relay: { ...relay, stalled_ms: stalledMs },
    };
  }

  async function beat(): Promise<WorkersSnapshot> {
    let database: WorkersSnapshot["database"] = { up: true };
    let backlog = { unpublished: current.unpublished, oldest_age_ms: current.oldest_unpublished_age_ms };
    try {
      backlog = await outboxBacklog(o.sql);
    } catch (err) {
      database = { up: false, error: err instanceof Error ? err.message : String(err) };
    }
    const consumerBacklog = await o.transport.backlog();
    current = build(database, backlog, consumerBacklog);
    const m = o.metrics;
    m.unpublished.set({}, backlog.unpublished);
    m.oldestUnpublishedAge.set({}, backlog.oldest_age_ms / 1000);
    for (const [consumer, n] of Object.entries(consumerBacklog)) m.backlog.set({ consumer }, n);
    if (!current.live && !wedgedReported) {
      wedgedReported = true;
      o.logger.error("relay loop stuck; workers are wedged", { stalled_ms: current.relay.stalled_ms });
      o.onWedged?.();
    }
    try {
      await recordWorkerState(o.sql, {
        worker_id: workerId,
        transport: o.transport.kind,
        broker_connected: current.broker.connected,
        state: {
          status: current.status,
          broker_since: current.broker.since,
          broker_error: current.broker.lastError,
          reconnects: current.broker.reconnects,
          consumer_backlog: consumerBacklog,
          relay_failures: current.relay.failures,
          relay_error: current.relay.lastError,
          last_publish_at: current.relay.lastPublishAt
            ? new Date(current.relay.lastPublishAt).toISOString()
            : null,
        },
        started_at: startedAt,
      });
      heartbeatFailures = 0;
    } catch (err) {
      if (heartbeatFailures++ % 20 === 0) o.logger.warn("workers heartbeat not recorded", { err });
    }
    return current;
  }

  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      // The heartbeat must outlive any one failure (it is what tells the outage).
      await beat().catch((err: unknown) => o.logger.warn("workers heartbeat failed", { err }));
      await Bun.sleep(o.settings.WORKERS_HEARTBEAT_MS);
    }
  })();

  let server: ReturnType<typeof Bun.serve> | null = null;
  try {
    server = Bun.serve({
      port: o.settings.WORKERS_HEALTH_PORT,
      hostname: o.host,
      fetch(req) {
        const path = new URL(req.url).pathname;
        if (path === "/healthz")
          return Response.json(
            { status: current.live ? "ok" : "wedged" },
            { status: current.live ? 200 : 503 },
          );
        if (path === "/health")
          return Response.json(current, { status: current.status === "down" ? 503 : 200 });
        if (path === "/metrics")
          return new Response(o.metrics.registry.render(), { headers: { "Content-Type": contentType } });
        return Response.json({ status: 404, title: "Not Found" }, { status: 404 });
      },
    });
  } catch (err) {
    o.logger.error("workers health endpoint not started", { port: o.settings.WORKERS_HEALTH_PORT, err });
  }

  return {
    port: server?.port ?? null,
    snapshot: () => current,
    beat,
    async stop() {
      stopped = true;
      await server?.stop(true);
      await loop.catch(() => {});
      await removeWorkerState(o.sql, workerId).catch(() => {});
    },
  };
}
