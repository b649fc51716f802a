import { availableParallelism } from "node:os";
import { z } from "zod";
import { dataDirSecret } from "./dev-secret.ts";
import {
  bool,
  ConfigError,
  defineSettings,
  int,
  knob,
  loadOrExit,
  port,
  type SettingDoc,
  url,
  urlList,
} from "./settings.ts";

export { ConfigError } from "./settings.ts";

/**
 * The settings every process shares (ports, service URLs, secrets), read from
 * the environment once. Each entry has a default so that `bun run dev` works
 * with nothing set. Process-specific groups (proxy, cart, checkout) use the
 * same mechanism (`settings.ts`) and are listed by `bun scripts/config-table.ts`.
 */
const knobs = {
  NODE_ENV: knob(
    z.enum(["development", "production", "test"]),
    // The default of configs built from a record (tests); processes default to production.
    "development",
    "`production` requires JWT_SECRET and turns off test-only features (the `test_card` payment provider); processes started without it run as production, `bun run dev` sets development, `bun test` sets test",
    { shownDefault: "production" },
  ),
  LOG_LEVEL: knob(
    z.enum(["debug", "info", "warn", "error", "silent"]),
    "info",
    "minimum level of JSON log lines",
  ),
  DATA_DIR: knob(
    z.string().min(1),
    ".data",
    "where the embedded Postgres keeps its files (and, in development, the generated `jwt-secret`)",
  ),
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
  PROXY_ADMIN_URL: knob(
    url(["http", "https"]).optional(),
    undefined,
    "where app instances reach the proxy's admin endpoint for the console's system view (`http://proxy:9180` in containers); unset = `http://127.0.0.1:PROXY_ADMIN_PORT`",
  ),
  APP_PORT_BASE: knob(port, "3001", "port of the first app instance; instance i listens on base+i"),
  APP_INSTANCES: knob(
    int(1, 64),
    String(Math.max(1, availableParallelism())),
    "number of app instances (default: CPU cores)",
    { shownDefault: "CPU cores" },
  ),
  APP_HOST: knob(z.string().min(1), "127.0.0.1", "interface the app instances bind (0.0.0.0 in containers)"),
  PORT: knob(port, undefined, "port of a single app instance (set by the cluster shim)"),
  EMBEDDED_PG_PORT: knob(port, "15432", "embedded Postgres primary port (replica = +1)"),
  EMBEDDED_REPLICA: knob(bool, "true", "start an embedded streaming replica next to the embedded primary"),
  DATABASE_URL: knob(
    url(["postgres", "postgresql"]).optional(),
    undefined,
    "Postgres primary; unset = embedded Postgres",
    { secret: true },
  ),
  DATABASE_REPLICA_URLS: knob(urlList(["postgres", "postgresql"]), "", "comma-separated read replicas", {
    secret: true,
  }),
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
    { secret: true },
  ),
  AMQP_URL: knob(
    url(["amqp", "amqps"]).optional(),
    undefined,
    "RabbitMQ; unset = in-process event transport",
    { secret: true },
  ),
  ELASTICSEARCH_URL: knob(
    url(["http", "https"]).optional(),
    undefined,
    "Elasticsearch (the search engine when set); unset = `SEARCH_ENGINE`",
    { secret: true },
  ),
  SEARCH_ENGINE: knob(
    z.enum(["memory", "postgres"]),
    "memory",
    "search engine without `ELASTICSEARCH_URL`: `memory` (in-process index per instance, Postgres answers until it is built) or `postgres` (full text only)",
  ),
  SEARCH_SYNC_MS: knob(
    int(20, 60_000),
    "250",
    "how often the in-process search index polls the products change log (a NOTIFY wakes it sooner)",
  ),
  SMTP_URL: knob(
    url(["smtp", "smtps"]).optional(),
    undefined,
    "SMTP server for email (`smtp://` or `smtps://user:pass@host:port?from=shop@example.com`); unset = emails are logged",
    { secret: true },
  ),
  JWT_SECRET: knob(
    z.string().min(32, "must be at least 32 characters").optional(),
    undefined,
    "HMAC key for access and cart tokens (required in production; in development a random one is kept in `DATA_DIR/jwt-secret`)",
    { secret: true },
  ),
  ACCESS_TOKEN_TTL_S: knob(int(30, 86_400), "900", "access token lifetime in seconds"),
  REFRESH_TOKEN_TTL_S: knob(int(60, 31_536_000), "2592000", "refresh token lifetime in seconds"),
  SHUTDOWN_TIMEOUT_MS: knob(int(0, 600_000), "10000", "how long a process drains in-flight work on SIGTERM"),
  WEBHOOKS_ALLOW_PRIVATE: knob(
    bool,
    "false",
    "let webhooks reach loopback, private and other non-public addresses (development only; see docs/security.md)",
  ),
  SEED_PRODUCTS: knob(int(0, 10_000_000), "500", "products `bun run dev` seeds into an empty database"),
} as const;

const shared = defineSettings("shared", knobs, (values, problems) => {
  if (values.NODE_ENV === "production" && !values.JWT_SECRET) {
    problems.push({ variable: "JWT_SECRET", message: "is required when NODE_ENV=production" });
  }
});

/** The shared settings, parsed. */
export type Config = ReturnType<typeof shared.load>;

/**
 * Parses the environment (or the given record) into a typed, frozen Config.
 * Throws ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return shared.load(env);
}

/**
 * The secret that signs access tokens (and, derived, cart tokens): JWT_SECRET,
 * or in development and test a random one kept in the data folder
 * (dev-secret.ts). In production it is required (loadConfig refuses to start).
 */
export function jwtSecret(config: Config): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.NODE_ENV === "production")
    throw new ConfigError([{ variable: "JWT_SECRET", message: "is required when NODE_ENV=production" }]);
  return dataDirSecret(config.DATA_DIR);
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
export function configDocs(): SettingDoc[] {
  return shared.docs();
}

/**
 * loadConfig for process entry points: prints the problem and exits 78
 * (EX_CONFIG). A process started without NODE_ENV runs as `production` (so a
 * deployment that forgot it still demands JWT_SECRET and keeps test-only
 * features off); `bun run dev` sets `development` for itself and its children,
 * `bun test` sets `test`. Tools that serve nothing (migrate, seed,
 * create-admin) pass `development` as their default.
 */
export function loadConfigOrExit(defaultEnv: "production" | "development" = "production"): Config {
  // Set in the environment itself, so code reading it later (and child processes) agrees.
  process.env.NODE_ENV ||= defaultEnv;
  return loadOrExit(() => loadConfig());
}
