import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { createLogger } from "../platform/logger.ts";
import { createDatabase, type Database } from "./client.ts";
import { type EmbeddedCluster, startEmbeddedPostgres } from "./embedded.ts";
import { migrate } from "./migrate.ts";

/**
 * Test support: every test file gets its own freshly migrated database on the
 * real Postgres named by TEST_DATABASE_URL (default: the local server on 5432),
 * or on an embedded Postgres (own folder and ports per run) when none is reachable.
 */
export interface TestDatabase {
  url: string;
  /** A routing Database on the test database (primary only). */
  db: Database;
  /** Raw admin access to the test database. */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

// Kept on globalThis: the test preload and the test files may load this module separately,
// and they must share one server (and one embedded Postgres, when one is needed).
const SERVER = Symbol.for("commerce.test.server");
type Holder = { [SERVER]?: { url: Promise<string>; embedded: Promise<TestPostgres | null> } | null };
const holder = globalThis as Holder;

/** The local server tests use when TEST_DATABASE_URL is not set. */
export const LOCAL_TEST_SERVER = "postgres://postgres@127.0.0.1:5432/postgres";

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

/**
 * The server tests create (and drop) databases on. Only a server meant for
 * tests: TEST_DATABASE_URL, else the local server on 127.0.0.1:5432, else an
 * embedded Postgres started for this run. Never DATABASE_URL (it may name a
 * real database) unless it is also TEST_DATABASE_URL. TEST_DATABASE_URL=embedded
 * asks for the embedded one even when a local server runs.
 */
export function testServerUrl(): Promise<string> {
  if (!holder[SERVER]) {
    const configured = process.env.TEST_DATABASE_URL;
    const embedded = (async () => {
      if (configured && configured !== "embedded") return null;
      if (configured !== "embedded" && (await reachable(LOCAL_TEST_SERVER))) return null;
      if (servicesRequired() && configured !== "embedded")
        throw new Error(
          `Postgres is required (REQUIRE_SERVICES/CI) but nothing answers at ${LOCAL_TEST_SERVER} (TEST_DATABASE_URL unset)`,
        );
      return startTestPostgres({ label: "test-server", replica: false });
    })();
    const url = (async () => {
      if (configured && configured !== "embedded") return configured;
      return (await embedded)?.primaryUrl ?? LOCAL_TEST_SERVER;
    })();
    holder[SERVER] = { url, embedded };
  }
  return holder[SERVER].url;
}

/** Stops the embedded Postgres the tests started, if they had to start one (the preload calls it after all tests). */
export async function stopTestServer(): Promise<void> {
  const server = holder[SERVER];
  holder[SERVER] = null;
  const embedded = await server?.embedded.catch(() => null);
  await embedded?.stop();
}

/** An embedded Postgres of its own for one test run or file; `stop()` also deletes its data folder. */
export interface TestPostgres extends EmbeddedCluster {
  dataDir: string;
}

/** Two consecutive ports (primary, replica) that were free a moment ago; the caller retries on a clash. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const first = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = first.port;
    try {
      const second = Bun.listen({ hostname: "127.0.0.1", port: port + 1, socket: { data() {} } });
      second.stop(true);
      return port;
    } catch {
      // port + 1 is taken: try another pair
    } finally {
      first.stop(true);
    }
  }
}

/** True when the server at `url` keeps its data in `dir` (not another server that took the port). */
async function servesFrom(url: string, dir: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    const [row] = await sql<{ dir: string }[]>`select current_setting('data_directory') as dir`;
    return row!.dir.startsWith(dir);
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 0 }).catch(() => {});
  }
}

/**
 * Starts an embedded Postgres (and replica) in a fresh temporary folder on
 * free ports, so that two test runs never share data or ports. A port taken
 * between choosing and binding it is retried on another.
 */
export async function startTestPostgres(opts: { label: string; replica: boolean }): Promise<TestPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), `commerce-${opts.label}-`));
  // mkdtemp makes it 0700: let the postgres user (when we are root) reach it, so the data stays here.
  await chmod(dataDir, 0o711);
  let lastError: unknown;
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePortPair();
    let cluster: EmbeddedCluster | null = null;
    try {
      cluster = await startEmbeddedPostgres({ dataDir, port, replica: opts.replica });
      const urls = [cluster.primaryUrl, ...cluster.replicaUrls];
      const ours = await Promise.all(urls.map((u) => servesFrom(u, dataDir)));
      if (ours.every(Boolean) && cluster.replicaUrls.length === (opts.replica ? 1 : 0)) {
        const started = cluster;
        return {
          ...started,
          dataDir,
          async stop() {
            await started.stop();
            await rm(dataDir, { recursive: true, force: true });
          },
        };
      }
      lastError = new Error(`port ${port} or ${port + 1} answered for another server`);
    } catch (err) {
      lastError = err;
    }
    await cluster?.stop().catch(() => {});
  }
  await rm(dataDir, { recursive: true, force: true });
  throw new Error(`could not start an embedded test Postgres: ${String(lastError)}`);
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
