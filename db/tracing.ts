import { context, SpanKind, type Tracer, trace } from "@opentelemetry/api";
import { failSpan } from "../platform/tracing.ts";

/**
 * A span per SQL statement, named by what the statement does: the function
 * that wrote it and that function's folder (`catalog.listProductPage`,
 * `core.recordEvent`), never the SQL text or its values. The name is worked
 * out once per statement in the source: postgres.js statements are tagged
 * templates, and a template's strings array is the same object every time
 * its line runs, so it keys a cache.
 *
 * Only installed when tracing is on (`createDatabase`), and statements run
 * outside any span (pollers, health checks) make none, so background loops
 * do not flood the trace store with root spans.
 */

const names = new WeakMap<TemplateStringsArray, string>();

// "    at listProductPage (/app/server/catalog/queries.ts:80:10)" or "    at /app/x.ts:3:1"
const FRAME = /^\s*at (?:async )?(?:(\S+) \()?(.+?):(\d+):\d+\)?$/;

// Frames that are plumbing between the caller and the statement: this file, span helpers, and the
// pool wrappers of db/client.ts (its own statements, e.g. `currentLsn`, keep their names).
const PLUMBING = /\/db\/tracing\.ts$|\/platform\/tracing\.ts$/;
const CLIENT_WRAPPERS = new Set(["read", "tx", "track", "<anonymous>", "anonymous", undefined]);

/**
 * `<folder>.<function>` of the first caller past the plumbing
 * (`<folder>.<file>:<line>` when that caller is an anonymous function).
 */
export function callerName(stack: string | undefined): string {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const file = m[2]!;
    if (PLUMBING.test(file) || !file.includes("/")) continue;
    const fn = m[1]?.replace(/^.*\./, "");
    if (file.endsWith("/db/client.ts") && CLIENT_WRAPPERS.has(fn)) continue;
    const parts = file.split("/");
    const folder = parts[parts.length - 2] ?? "";
    if (fn && fn !== "<anonymous>" && fn !== "anonymous") return `${folder}.${fn}`;
    return `${folder}.${parts[parts.length - 1]!.replace(/\.ts$/, "")}:${m[3]}`;
  }
  return "sql";
}

function statementName(strings: TemplateStringsArray): string {
  let name = names.get(strings);
  if (name === undefined) {
    name = callerName(new Error().stack);
    names.set(strings, name);
  }
  return name;
}

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
