import type { Database, Sql } from "../../db/client.ts";
import type { Redis } from "../../platform/redis.ts";
import type { DependencyStatus, HealthProbe } from "../core/deps.ts";
import { outboxBacklog } from "../core/outbox.ts";
import type { EventsHealthSettings } from "./settings.ts";
import { workerStates } from "./worker-state.ts";

const round = (ms: number) => Math.round(ms * 100) / 100;

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: Timer | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "up", latency_ms: round(performance.now() - started) };
  } catch (err) {
    return {
      status: "down",
      latency_ms: round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The primary database: core. */
export function databaseProbe(db: Database): HealthProbe {
  return { name: "database", core: true, check: () => timed(() => db.primary`select 1`) };
}

/** Redis, or the in-process stand-in when none is configured. */
export function redisProbe(redis: Redis | null): HealthProbe {
  return {
    name: "redis",
    core: false,
    check: async () => (redis ? timed(() => redis.ping()) : { status: "disabled", engine: "memory" }),
  };
}

/**
 * The event path as the workers see it: their heartbeat rows (broker
 * connection, relay and consumer state) plus the outbox backlog. `down` when
 * RabbitMQ is configured and no workers process has a broker connection (or
 * none reported within WORKERS_STALE_MS); `lagging` when an event has waited
 * longer than EVENTS_MAX_WAIT_MS; `disabled` for the in-process transport with
 * no workers running (`down` if one ran and stopped reporting without a
 * graceful stop). Cached for a second to keep `/health` cheap.
 */
export function queueProbe(
  sql: Sql,
  amqpUrl: string | undefined,
  settings: EventsHealthSettings,
): HealthProbe {
  let cached: { at: number; value: DependencyStatus } | null = null;
  const transport = amqpUrl ? "rabbitmq" : "in-process";
  async function check(): Promise<DependencyStatus> {
    let details: Record<string, unknown> = {};
    let verdict: Pick<DependencyStatus, "status"> & { error?: string } = { status: "up" };
    const probed = await timed(async () => {
      const [backlog, everyWorker] = await Promise.all([outboxBacklog(sql), workerStates(sql)]);
      const workers = everyWorker.filter((w) => w.age_ms < settings.WORKERS_STALE_MS);
      details = {
        unpublished: backlog.unpublished,
        oldest_unpublished_age_ms: backlog.oldest_age_ms,
        workers: workers.map((w) => ({
          id: w.worker_id,
          broker_connected: w.broker_connected,
          heartbeat_age_ms: w.age_ms,
          ...w.state,
        })),
      };
      // In process, no heartbeat at all means no workers are meant to run (tests, an app alone);
      // a stale one means a workers process died without stopping.
      if (!workers.length)
        verdict =
          amqpUrl || everyWorker.length
            ? { status: "down", error: `no workers heartbeat within ${settings.WORKERS_STALE_MS} ms` }
            : { status: "disabled" };
      else if (!workers.some((w) => w.broker_connected))
        verdict = {
          status: "down",
          error: `workers have no broker connection${typeof workers[0]?.state.broker_error === "string" ? `: ${workers[0].state.broker_error}` : ""}`,
        };
      if (verdict.status !== "down" && backlog.oldest_age_ms > settings.EVENTS_MAX_WAIT_MS)
        verdict = {
          status: "lagging",
          error: `oldest unpublished event waited ${backlog.oldest_age_ms} ms (limit ${settings.EVENTS_MAX_WAIT_MS} ms)`,
        };
    });
    if (probed.status === "down") return { ...probed, transport };
    return { ...verdict, latency_ms: probed.latency_ms, transport, ...details };
  }
  return {
    name: "queue",
    core: false,
    check: async () => {
      if (cached && Date.now() - cached.at < 1000) return cached.value;
      cached = { at: Date.now(), value: await check() };
      return cached.value;
    },
  };
}

/** The search engine in use. */
export function searchProbe(elasticsearchUrl: string | undefined): HealthProbe {
  return {
    name: "search",
    core: false,
    check: async () => {
      if (!elasticsearchUrl) return { status: "up", engine: "postgres" };
      const r = await timed(async () => {
        const res = await fetch(new URL("/_cluster/health", elasticsearchUrl), {
          signal: AbortSignal.timeout(2000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      });
      return { ...r, engine: "elasticsearch" };
    },
  };
}
