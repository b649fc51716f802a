import postgres from "postgres";
import type { Logger } from "../platform/logger.ts";
import type { Registry } from "../platform/metrics.ts";
import { tracer } from "../platform/tracing.ts";
import { currentConsistency, noteCommit } from "./context.ts";
import { databaseMetrics, instrument, type PoolUsage } from "./instrument.ts";
import { parseLsn } from "./lsn.ts";
import { type ReplicaState, replicaMonitor } from "./replica-monitor.ts";
import { traceSql } from "./tracing.ts";

export type Sql = postgres.Sql;
export type TxSql = postgres.TransactionSql;

export type { ReplicaState, ReplicaStatus } from "./replica-monitor.ts";

export interface DatabaseOptions {
  primaryUrl: string;
  replicaUrls?: string[];
  poolMax?: number;
  maxLagMs?: number;
  checkIntervalMs?: number;
  logger?: Logger;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * Where statement durations (named by the function that wrote them, see statement-name.ts) and pool usage
   * are recorded; without it the pools are not instrumented.
   */
  metrics?: Registry;
}

export interface ReadOptions {
  /** Demand the primary (critical reads). */
  primary?: boolean;
  /** The read must see every commit up to this WAL position. */
  minLsn?: bigint | null;
}

/**
 * Postgres access with primary/replica routing. Writes and transactions run on
 * the primary; reads go to a healthy replica that has replayed at least the
 * caller's last commit (read-your-writes), else to the primary.
 */
export interface Database {
  readonly primary: Sql;
  readonly replicas: readonly ReplicaState[];
  /** The pool a read should use now, given the request context and `opts`. */
  reader(opts?: ReadOptions): Sql;
  /** Runs a read; if the chosen replica fails to answer, retries once on the primary. */
  read<T>(fn: (sql: Sql) => Promise<T>, opts?: ReadOptions): Promise<T>;
  /**
   * Runs `fn` in a primary transaction and records the commit position for
   * later reads. A transaction Postgres aborts as a deadlock victim or for a
   * serialization failure is run again (up to 3 times), so `fn` must not have
   * effects outside the transaction (no external calls, no shared state).
   */
  tx<T>(fn: (sql: TxSql) => Promise<T>): Promise<T>;
  /** Records the primary's current WAL position after a write made outside `tx`. */
  markWritten(): Promise<bigint | null>;
  /** The primary's current WAL position. */
  currentLsn(): Promise<bigint>;
  /** Polls every replica once (the monitor does this on an interval). */
  checkReplicas(): Promise<void>;
  /** Per pool: configured size and operations in flight through read()/tx(). */
  pools(): { name: string; max: number; active: number }[];
  close(timeoutSeconds?: number): Promise<void>;
}

const connectionErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
]);

const TX_ATTEMPTS = 3;

/** Deadlock victim (40P01) or serialization failure (40001): the transaction can simply run again. */
function isRetryableTxError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
}

/** True when an error means the server could not be reached (not a query error). */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && connectionErrorCodes.has(code);
}

/** Opens the pools and starts the replica monitor. */
export function createDatabase(opts: DatabaseOptions): Database {
  const max = opts.poolMax ?? 10;
  const maxLagMs = opts.maxLagMs ?? 2000;
  const common = {
    max,
    idle_timeout: 30,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? "commerce" },
  };
  const usage: PoolUsage[] = [];
  const dbMetrics = opts.metrics
    ? databaseMetrics(opts.metrics, () =>
        usage.map((u) => ({ name: u.name, max: u.max, holding: u.holding })),
      )
    : null;
  /** The pool, timed and counted when metrics are wanted. */
  const observed = (sql: Sql, name: string): Sql => {
    if (!dbMetrics) return sql;
    const u: PoolUsage = { name, max, holding: 0 };
    usage.push(u);
    return instrument(sql, u, dbMetrics);
  };
  // With tracing on, every statement run inside a span gets one of its own (db/tracing.ts).
  const t = tracer();
  const traced = (sql: Sql, pool: string): Sql => (t ? traceSql(sql, t, pool) : sql);
  const primary = traced(observed(postgres(opts.primaryUrl, common), "primary"), "primary");
  const replicas: ReplicaState[] = (opts.replicaUrls ?? []).map((url, i) => ({
    name: `replica-${i + 1}`,
    sql: traced(
      observed(postgres(url, { ...common, connect_timeout: 2 }), `replica-${i + 1}`),
      `replica-${i + 1}`,
    ),
    status: "down",
    replayLsn: null,
    lagMs: null,
    latencyMs: null,
    lastError: "not checked yet",
  }));
  let rr = 0;
  let closed = false;
  const active = new Map<Sql, number>();
  const track = async <T>(sql: Sql, fn: () => Promise<T>): Promise<T> => {
    active.set(sql, (active.get(sql) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      active.set(sql, (active.get(sql) ?? 1) - 1);
    }
  };

  /** The primary's current WAL position. */
  async function currentLsn(): Promise<bigint> {
    const [row] = await primary<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
    return parseLsn(row!.lsn);
  }

  const checkReplicas = replicaMonitor(replicas, currentLsn, maxLagMs);

  function reader(ro: ReadOptions = {}): Sql {
    const ctx = currentConsistency();
    if (ro.primary || ctx?.critical || !replicas.length) return primary;
    let min = ro.minLsn ?? null;
    if (ctx?.minLsn != null && (min === null || ctx.minLsn > min)) min = ctx.minLsn;
    for (let i = 0; i < replicas.length; i++) {
      const r = replicas[(rr + i) % replicas.length]!;
      if (r.status !== "up") continue;
      if (min !== null && (r.replayLsn === null || r.replayLsn < min)) continue;
      rr = (rr + i + 1) % replicas.length;
      return r.sql;
    }
    return primary;
  }

  async function read<T>(fn: (sql: Sql) => Promise<T>, ro?: ReadOptions): Promise<T> {
    const sql = reader(ro);
    try {
      return await track(sql, () => fn(sql));
    } catch (err) {
      if (sql === primary || !isConnectionError(err)) throw err;
      const r = replicas.find((x) => x.sql === sql);
      if (r) {
        r.status = "down";
        r.lastError = err instanceof Error ? err.message : String(err);
        opts.logger?.warn("replica read failed; using primary", { replica: r.name, err });
      }
      return track(primary, () => fn(primary));
    }
  }

  async function markWritten(): Promise<bigint | null> {
    if (!replicas.length) {
      noteCommit(null);
      return null;
    }
    const lsn = await currentLsn();
    noteCommit(lsn);
    return lsn;
  }

  async function tx<T>(fn: (sql: TxSql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = (await track(primary, () => primary.begin((sql) => fn(sql)))) as T;
        await markWritten();
        return value;
      } catch (err) {
        // Postgres aborted the whole transaction (deadlock victim or serialization
        // failure); nothing of it committed, so running it again is safe.
        if (attempt >= TX_ATTEMPTS || !isRetryableTxError(err)) throw err;
        opts.logger?.warn("transaction aborted by postgres; retrying", {
          code: (err as { code?: string }).code,
          attempt,
        });
        await Bun.sleep(5 + Math.random() * 20 * attempt);
      }
    }
  }

  const timer = replicas.length
    ? setInterval(() => {
        if (!closed) checkReplicas().catch(() => {});
      }, opts.checkIntervalMs ?? 500)
    : null;
  timer?.unref?.();
  // First check right away so that replicas are usable within one round trip.
  void checkReplicas();

  return {
    primary,
    replicas,
    reader,
    read,
    tx,
    markWritten,
    currentLsn,
    checkReplicas,
    pools: () => [
      { name: "primary", max, active: active.get(primary) ?? 0 },
      ...replicas.map((r) => ({ name: r.name, max, active: active.get(r.sql) ?? 0 })),
    ],
    async close(timeoutSeconds = 5) {
      closed = true;
      if (timer) clearInterval(timer);
      await Promise.all([
        primary.end({ timeout: timeoutSeconds }),
        ...replicas.map((r) => r.sql.end({ timeout: timeoutSeconds })),
      ]);
    },
  };
}
