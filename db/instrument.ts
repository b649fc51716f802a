import type postgres from "postgres";
import type { Counter, Histogram, Registry } from "../platform/metrics.ts";
import { statementName } from "./statement-name.ts";

type Sql = postgres.Sql;

/** The database series of one process (shared by every pool it opens). */
export interface DatabaseMetrics {
  /** Time from a statement's start (first await) to its result, by pool and statement name. */
  duration: Histogram;
  errors: Counter;
  /** Time from `begin()` to the transaction's callback: waiting for a connection plus BEGIN. */
  txStart: Histogram;
  /** Statements and transactions that started while every connection of the pool was taken. */
  waits: Counter;
}

const txStartBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Registers the statement and pool series on `registry`; `holders` gives, per
 * pool, its size and how many statements and transactions hold or wait for
 * one of its connections now.
 */
export function databaseMetrics(
  registry: Registry,
  holders: () => { name: string; max: number; holding: number }[],
): DatabaseMetrics {
  registry.gauge("db_pool_connections_in_use", "connections held by a statement or transaction", (g) => {
    for (const p of holders()) g.set({ pool: p.name }, Math.min(p.holding, p.max));
  });
  registry.gauge("db_pool_waiting", "statements and transactions waiting for a free connection", (g) => {
    for (const p of holders()) g.set({ pool: p.name }, Math.max(0, p.holding - p.max));
  });
  return {
    duration: registry.histogram(
      "db_query_duration_seconds",
      "statement time by pool and statement name (what it does, not its text)",
    ),
    errors: registry.counter("db_query_errors_total", "statements that failed, by pool and statement name"),
    txStart: registry.histogram(
      "db_transaction_start_seconds",
      "time to get a connection and begin a transaction, by pool",
      txStartBuckets,
    ),
    waits: registry.counter(
      "db_pool_waits_total",
      "statements and transactions that had to wait for a connection, by pool",
    ),
  };
}

/** What `instrument` counts per pool. */
export interface PoolUsage {
  readonly name: string;
  readonly max: number;
  /** Top-level statements in flight plus open transactions. */
  holding: number;
}

type Query = PromiseLike<unknown> & { strings?: readonly string[] };

/**
 * Wraps a postgres.js pool so that every statement awaited through it (and
 * through the transaction handles its `begin` passes on) is timed under its
 * name, and pool usage is counted. Fragments (`sql\`and x = ${y}\``) are never
 * awaited on their own and cost nothing; identifiers and helpers pass through.
 */
export function instrument(sql: Sql, usage: PoolUsage, metrics: DatabaseMetrics): Sql {
  const pool = usage.name;
  const hold = () => {
    if (usage.holding >= usage.max) metrics.waits.inc({ pool });
    usage.holding++;
  };
  const release = () => {
    usage.holding--;
  };

  /**
   * Times a query object when it is first awaited; `top` = holds a connection of its own.
   * Runs inside the tag call, so the statement's author is on the stack for its name.
   */
  function timed<Q extends Query>(q: Q, top: boolean): Q {
    if (!q.strings) return q;
    const statement = statementName(q.strings);
    const then = q.then;
    let started = 0;
    const finish = (ok: boolean) => {
      if (top) release();
      metrics.duration.observe({ pool, statement }, (performance.now() - started) / 1000);
      if (!ok) metrics.errors.inc({ pool, statement });
    };
    // Own property: postgres.js runs the query from `then`, and `catch`/`finally`/`await` all go through it.
    // biome-ignore lint/suspicious/noThenProperty: the object is a promise; this wraps its own `then`.
    Object.defineProperty(q, "then", {
      configurable: true,
      writable: true,
      value(onOk?: (v: unknown) => unknown, onErr?: (e: unknown) => unknown) {
        if (started === 0) {
          started = performance.now();
          if (top) hold();
          then.call(
            q,
            () => finish(true),
            () => finish(false),
          );
        }
        return then.call(q, onOk, onErr);
      },
    });
    return q;
  }

  function wrap(target: Sql, top: boolean): Sql {
    return new Proxy(target, {
      apply(fn, self, args: unknown[]) {
        const result = Reflect.apply(fn, self, args);
        const first = args[0] as { raw?: unknown } | undefined;
        return first && Array.isArray(first.raw) ? timed(result as Query, top) : result;
      },
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (prop === "unsafe" && typeof value === "function")
          return (...a: unknown[]) => timed(value.apply(obj, a) as Query, top);
        if ((prop === "begin" || prop === "savepoint") && typeof value === "function")
          return (...a: unknown[]) => {
            const fn = a[a.length - 1] as (tx: Sql) => unknown;
            if (typeof fn !== "function") return value.apply(obj, a);
            if (prop === "begin") return begin(value, a, fn);
            return value.apply(obj, [...a.slice(0, -1), (s: Sql) => fn(wrap(s, false))]);
          };
        return value;
      },
    });
  }

  /** A transaction holds one connection from `begin` until it settles; its statements time themselves. */
  async function begin(
    original: (...a: unknown[]) => Promise<unknown>,
    args: unknown[],
    fn: (tx: Sql) => unknown,
  ): Promise<unknown> {
    const asked = performance.now();
    hold();
    try {
      return await original.apply(sql, [
        ...args.slice(0, -1),
        (tx: Sql) => {
          metrics.txStart.observe({ pool }, (performance.now() - asked) / 1000);
          return fn(wrap(tx, false));
        },
      ]);
    } finally {
      release();
    }
  }

  return wrap(sql, true);
}
