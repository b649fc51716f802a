/** Structured JSON logging: one line per event on stdout (errors on stderr). */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

// `scheme://user:password@` in any text: the password goes, the rest stays readable.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi;
// `?password=…` and friends in query strings.
const QUERY_SECRET =
  /([?&;](?:password|passwd|pwd|pass|secret|token|access_token|refresh_token|api_?key|key|sig|signature)=)[^&;#\s"']*/gi;
// Field names whose values are secret whatever they look like.
const SECRET_KEY =
  /^(authorization|cookie|set-cookie|password|passwd|pass|secret|token|api_?key|access_token|refresh_token|jwt_secret|[a-z_]*_(secret|password|token))$/i;

/**
 * Removes secrets from text before it is logged: passwords in URLs
 * (`postgres://app:hunter2@db/x` → `postgres://app:***@db/x`) and secret query
 * parameters. Used for every log line and for echoed configuration values.
 */
export function redactText(text: string): string {
  return text.replace(URL_PASSWORD, "$1:***@").replace(QUERY_SECRET, "$1***");
}

/** JSON.stringify replacer: secret-named fields are dropped, strings are redacted. */
function redactField(key: string, value: unknown): unknown {
  if (key !== "" && SECRET_KEY.test(key) && value !== undefined && value !== null) return "[redacted]";
  return typeof value === "string" ? redactText(value) : value;
}

function errorFields(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** Fields naming the active trace span, or null outside one. */
type TraceFieldSource = () => { trace_id: string; span_id: string } | null;
let traceFields: TraceFieldSource | null = null;

/**
 * Lets tracing (`tracing.ts`) add `trace_id` and `span_id` to every line
 * written inside a span; a hook rather than an import, so the logger stays
 * free of OpenTelemetry when tracing is off.
 */
export function setTraceFieldSource(source: TraceFieldSource | null): void {
  traceFields = source;
}

/** Creates a logger writing JSON lines; `base` fields are merged into every line. */
export function createLogger(
  level: LogLevel = (process.env.LOG_LEVEL as LogLevel | undefined) ?? "info",
  base: Record<string, unknown> = {},
): Logger {
  const min = rank[level] ?? rank.info;
  const write = (lvl: Exclude<LogLevel, "silent">, msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < min) return;
    const line: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, msg, ...base };
    if (fields) for (const [k, v] of Object.entries(fields)) line[k] = errorFields(v);
    const ids = traceFields?.();
    if (ids) {
      line.trace_id = ids.trace_id;
      line.span_id = ids.span_id;
    }
    // Secrets never reach the log: URL passwords, secret parameters and secret-named fields.
    const text = `${JSON.stringify(line, redactField)}\n`;
    if (lvl === "error" || lvl === "warn") process.stderr.write(text);
    else process.stdout.write(text);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}
