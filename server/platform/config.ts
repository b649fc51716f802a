import { availableParallelism } from "node:os";
import { z } from "zod";

/**
 * Every knob of the platform, read from the environment once. Each entry has a
 * default so that `bun run dev` works with nothing set; the README's table is
 * generated from the same descriptions (`configDocs`).
 */
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const port = int(1, 65535);
const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(":", ""));
        } catch {
          return false;
        }
      },
      `must be a URL (${protocols.join(", ")})`,
    );
const urlList = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(url(protocols)));

interface Knob<T extends z.ZodType> {
  schema: T;
  default: string | undefined;
  doc: string;
}
const knob = <T extends z.ZodType>(schema: T, def: string | undefined, doc: string): Knob<T> => ({
  schema,
  default: def,
  doc,
});

const knobs = {
  NODE_ENV: knob(
    z.enum(["development", "production", "test"]),
    "development",
    "`production` turns on strict checks (e.g. JWT_SECRET required)",
  ),
  LOG_LEVEL: knob(
    z.enum(["debug", "info", "warn", "error", "silent"]),
    "info",
    "minimum level of JSON log lines",
  ),
  DATA_DIR: knob(z.string().min(1), ".data", "where the embedded Postgres keeps its files"),
  PROXY_PORT: knob(port, "8080", "proxy HTTP port"),
  PROXY_TLS_PORT: knob(port, "8443", "proxy HTTPS port (used when TLS_CERT_FILE and TLS_KEY_FILE are set)"),
  TLS_CERT_FILE: knob(
    z.string().min(1).optional(),
    undefined,
    "PEM certificate for the proxy's HTTPS listener (`bun scripts/make-cert.ts` makes a dev one)",
  ),
  TLS_KEY_FILE: knob(
    z.string().min(1).optional(),
    undefined,
    "PEM private key for the proxy's HTTPS listener",
  ),
  PROXY_ADMIN_PORT: knob(port, "9180", "proxy admin port (`/metrics`, upstream status)"),
  APP_PORT_BASE: knob(port, "3001", "port of the first app instance; instance i listens on base+i"),
  APP_INSTANCES: knob(
    int(1, 64),
    String(Math.max(1, availableParallelism())),
    "number of app instances (default: CPU cores)",
  ),
  APP_HOST: knob(z.string().min(1), "127.0.0.1", "interface the app instances bind (0.0.0.0 in containers)"),
  PORT: knob(port, undefined, "port of a single app instance (set by the cluster shim)"),
  EMBEDDED_PG_PORT: knob(port, "15432", "embedded Postgres primary port (replica = +1)"),
  EMBEDDED_REPLICA: knob(bool, "true", "start an embedded streaming replica next to the embedded primary"),
  DATABASE_URL: knob(
    url(["postgres", "postgresql"]).optional(),
    undefined,
    "Postgres primary; unset = embedded Postgres",
  ),
  DATABASE_REPLICA_URLS: knob(urlList(["postgres", "postgresql"]), "", "comma-separated read replicas"),
  DATABASE_POOL_MAX: knob(
    int(1, 500),
    "10",
    "connections per pool (primary and each replica) per app instance",
  ),
  REPLICA_MAX_LAG_MS: knob(int(0, 3_600_000), "2000", "a replica lagging more than this is skipped"),
  REPLICA_CHECK_INTERVAL_MS: knob(
    int(50, 60_000),
    "500",
    "how often replica health and replay LSN are polled",
  ),
  REDIS_URL: knob(
    url(["redis", "rediss"]).optional(),
    undefined,
    "Redis for cache, rate limits, sessions; unset = in-process stores",
  ),
  AMQP_URL: knob(
    url(["amqp", "amqps"]).optional(),
    undefined,
    "RabbitMQ; unset = in-process event transport",
  ),
  ELASTICSEARCH_URL: knob(
    url(["http", "https"]).optional(),
    undefined,
    "Elasticsearch; unset = Postgres full-text search",
  ),
  SMTP_URL: knob(
    url(["smtp", "smtps"]).optional(),
    undefined,
    "SMTP server for email (`smtp://` or `smtps://user:pass@host:port?from=shop@example.com`); unset = emails are logged",
  ),
  JWT_SECRET: knob(
    z.string().min(32, "must be at least 32 characters").optional(),
    undefined,
    "HMAC key for access tokens (required in production)",
  ),
  ACCESS_TOKEN_TTL_S: knob(int(30, 86_400), "900", "access token lifetime in seconds"),
  REFRESH_TOKEN_TTL_S: knob(int(60, 31_536_000), "2592000", "refresh token lifetime in seconds"),
  SHUTDOWN_TIMEOUT_MS: knob(int(0, 600_000), "10000", "how long a process drains in-flight work on SIGTERM"),
  SEED_PRODUCTS: knob(int(0, 10_000_000), "500", "products `bun run dev` seeds into an empty database"),
} as const;

type Knobs = typeof knobs;
export type Config = { readonly [K in keyof Knobs]: z.output<Knobs[K]["schema"]> };

/** A start-up configuration error naming the variables that were wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment (or the given record) into a typed, frozen Config.
 * Throws ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: { variable: string; message: string }[] = [];
  for (const [name, k] of Object.entries(knobs) as [string, Knob<z.ZodType>][]) {
    const raw = env[name] === undefined || env[name] === "" ? k.default : env[name];
    if (raw === undefined) {
      out[name] = undefined;
      continue;
    }
    const parsed = k.schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else
      problems.push({
        variable: name,
        message: `${parsed.error.issues[0]?.message ?? "invalid"} (got ${JSON.stringify(raw)})`,
      });
  }
  if (out.NODE_ENV === "production" && !out.JWT_SECRET) {
    problems.push({ variable: "JWT_SECRET", message: "is required when NODE_ENV=production" });
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(out) as Config;
}

/** The secret used to sign tokens: the configured one, or a fixed development key. */
export function jwtSecret(config: Config): string {
  return config.JWT_SECRET ?? "development-only-secret-change-me-in-production!!";
}

/**
 * The primary database's name ("default" when unknown): shared Redis keys are
 * namespaced by it, so apps and test databases on one Redis never collide.
 */
export function databaseName(config: Config): string {
  try {
    return new URL(config.DATABASE_URL ?? "").pathname.slice(1) || "default";
  } catch {
    return "default";
  }
}

/** Rows for the README configuration table. */
export function configDocs(): { variable: string; default: string; doc: string }[] {
  return Object.entries(knobs).map(([variable, k]) => ({
    variable,
    default: variable === "APP_INSTANCES" ? "CPU cores" : (k.default ?? "(unset)"),
    doc: k.doc,
  }));
}

/** loadConfig for process entry points: prints the problem and exits 78 (EX_CONFIG). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}
