import amqp from "amqplib";
import type { Database } from "../../db/client.ts";
import type { Redis } from "../../platform/redis.ts";
import type { DependencyStatus, HealthProbe } from "../core/deps.ts";

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

/** RabbitMQ: a short-lived connection, cached for a few seconds to keep `/health` cheap. */
export function queueProbe(url: string | undefined): HealthProbe {
  let cached: { at: number; value: DependencyStatus } | null = null;
  return {
    name: "queue",
    core: false,
    check: async () => {
      if (!url) return { status: "disabled", transport: "in-process" };
      if (cached && Date.now() - cached.at < 5000) return cached.value;
      const value = await timed(async () => {
        const conn = await amqp.connect(url, { timeout: 2000 });
        await conn.close();
      });
      cached = { at: Date.now(), value: { ...value, transport: "rabbitmq" } };
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
