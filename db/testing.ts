import postgres from "postgres";
import { createLogger } from "../platform/logger.ts";
import { createDatabase, type Database } from "./client.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { migrate } from "./migrate.ts";

/**
 * Test support: every test file gets its own freshly migrated database on the
 * real Postgres named by TEST_DATABASE_URL / DATABASE_URL (default: the local
 * server on 5432), or on an embedded Postgres when none is reachable.
 */
export interface TestDatabase {
  url: string;
  /** A routing Database on the test database (primary only). */
  db: Database;
  /** Raw admin access to the test database. */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

let serverUrl: Promise<string> | null = null;
// Kept on globalThis: the test preload and the test files may load this module separately.
const EMBEDDED = Symbol.for("commerce.test.embeddedPostgres");
type Holder = { [EMBEDDED]?: { stop(): Promise<void> } | null };
const holder = globalThis as Holder;

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 0 }).catch(() => {});
  }
}

/** The server tests create databases on. */
export function testServerUrl(): Promise<string> {
  serverUrl ??= (async () => {
    const configured = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    if (configured) return configured;
    const local = "postgres://postgres@127.0.0.1:5432/postgres";
    if (await reachable(local)) return local;
    if (servicesRequired())
      throw new Error(
        "Postgres is required (REQUIRE_SERVICES/CI) but nothing answers at TEST_DATABASE_URL or 127.0.0.1:5432",
      );
    const cluster = await startEmbeddedPostgres({
      dataDir: ".data/test-embedded",
      port: 25432,
      replica: false,
    });
    // The first file to start it owns it; later files (own module instance) reuse the running server.
    holder[EMBEDDED] ??= cluster;
    return cluster.primaryUrl;
  })();
  return serverUrl;
}

/** Stops the embedded Postgres the tests started, if they had to start one (the preload calls it after all tests). */
export async function stopTestServer(): Promise<void> {
  await holder[EMBEDDED]?.stop();
  holder[EMBEDDED] = null;
  serverUrl = null;
}

/** Replaces the database name in a URL. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates and migrates a throwaway database; `drop()` removes it. */
export async function createTestDatabase(
  label = "t",
  opts: { poolMax?: number } = {},
): Promise<TestDatabase> {
  const server = await testServerUrl();
  const name = `test_${label.replace(/\W/g, "").slice(0, 20)}_${crypto.randomUUID().replace(/-/g, "").slice(0, 10)}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(server, name);
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  await migrate(sql);
  const db = createDatabase({ primaryUrl: url, poolMax: opts.poolMax ?? 10, logger: createLogger("silent") });
  return {
    url,
    db,
    sql,
    async drop() {
      await db.close(1);
      await sql.end({ timeout: 1 });
      const a = postgres(server, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await a.end();
    },
  };
}

/**
 * True when the run must use the real services (CI sets REQUIRE_SERVICES=1; CI=true counts too):
 * then the helpers below throw instead of falling back to in-process stand-ins or skips.
 */
export function servicesRequired(): boolean {
  return process.env.REQUIRE_SERVICES === "1" || process.env.CI === "true";
}

/** `url` when something accepts TCP connections at its host and port, else null. */
async function answering(url: string, defaultPort: number): Promise<string | null> {
  try {
    const u = new URL(url);
    const socket = await Bun.connect({
      hostname: u.hostname,
      port: Number(u.port || defaultPort),
      socket: { data() {} },
    });
    socket.end();
    return url;
  } catch {
    return null;
  }
}

/** `url` when it answers; null when not (or an error naming the service when services are required). */
async function required(
  service: string,
  variable: string,
  url: string,
  port: number,
): Promise<string | null> {
  const found = await answering(url, port);
  if (found === null && servicesRequired())
    throw new Error(
      `${service} is required (REQUIRE_SERVICES/CI) but nothing answers at ${url} (${variable})`,
    );
  return found;
}

/** Redis for tests: REDIS_URL or the local server, or null when none answers. */
export function testRedisUrl(): Promise<string | null> {
  return required("Redis", "REDIS_URL", process.env.REDIS_URL ?? "redis://127.0.0.1:6379", 6379);
}

/** RabbitMQ for tests: AMQP_URL or the local broker, or null when none answers. */
export function testAmqpUrl(): Promise<string | null> {
  return required("RabbitMQ", "AMQP_URL", process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672", 5672);
}
