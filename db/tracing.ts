import { context, SpanKind, type Tracer, trace } from "@opentelemetry/api";
import { failSpan } from "../platform/tracing.ts";
import { statementName } from "./statement-name.ts";

/**
 * A span per SQL statement, named by what the statement does: the function
 * that wrote it and that function's folder (`catalog.listProductPage`,
 * `core.recordEvent`), never the SQL text or its values: the same name the
 * statement's metrics carry (`statement-name.ts`).
 *
 * Only installed when tracing is on (`createDatabase`), and statements run
 * outside any span (pollers, health checks) make none, so background loops
 * do not flood the trace store with root spans.
 */

interface Thenable {
  then(onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown): unknown;
}

/** Wraps the statement's `then` (postgres.js runs a query when it is awaited) in a span. */
function instrument(query: Thenable, name: string, tracer: Tracer, pool: string): void {
  const original = query.then;
  // biome-ignore lint/suspicious/noThenProperty: the seam itself: awaiting a postgres.js query calls its then
  query.then = function tracedThen(onFulfilled, onRejected) {
    // biome-ignore lint/suspicious/noThenProperty: one span per statement: later thens are the original
    query.then = original;
    const parent = context.active();
    if (!trace.getSpan(parent)) return original.call(query, onFulfilled, onRejected);
    const span = tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql", "db.pool": pool } },
      parent,
    );
    return original.call(
      query,
      (rows) => {
        const count = (rows as { count?: unknown } | null)?.count;
        if (typeof count === "number") span.setAttribute("db.response.returned_rows", count);
        span.end();
        return onFulfilled ? onFulfilled(rows) : rows;
      },
      (err) => {
        failSpan(span, err);
        span.end();
        if (onRejected) return onRejected(err);
        throw err;
      },
    );
  };
}

function isTemplate(arg: unknown): arg is TemplateStringsArray {
  return Array.isArray(arg) && Object.hasOwn(arg, "raw");
}

/**
 * The postgres.js client `sql` with a span per statement. Transactions
 * (`begin`, `savepoint`) hand their callback a traced client too. Fragments
 * (templates nested in a statement) are never awaited, so they make no span.
 */
export function traceSql<T extends object>(sql: T, tracer: Tracer, pool: string): T {
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const result: unknown = Reflect.apply(target as (...a: unknown[]) => unknown, thisArg, args);
      if (isTemplate(args[0]) && result && typeof (result as Thenable).then === "function")
        instrument(result as Thenable, statementName(args[0]), tracer, pool);
      return result;
    },
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if ((prop === "begin" || prop === "savepoint") && typeof value === "function")
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const fn = args[last];
          if (typeof fn === "function")
            args[last] = (tx: object) => (fn as (t: object) => unknown)(traceSql(tx, tracer, pool));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return value;
    },
  });
}
