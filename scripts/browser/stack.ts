import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedCatalog } from "../../db/seed.ts";
import { createTestDatabase, type TestDatabase, testRedisUrl } from "../../db/testing.ts";
import { makeDevCert } from "../../proxy/dev-cert.ts";
import { childEnv } from "../../server/testing/child-env.ts";

/** The whole stack as the README starts it (`bun run dev`), on free ports and a fresh database. */
export interface Stack {
  url: string;
  /** the proxy's HTTPS port (HTTP/2 and HTTP/1.1, self-signed development certificate) */
  httpsUrl: string;
  adminPort: number;
  database: TestDatabase;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (bound to 0 by the kernel, then released). */
function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** Two consecutive free ports for the app instances (APP_PORT_BASE, +1). */
function freePortPair(): number {
  for (let i = 0; i < 50; i++) {
    const base = freePort();
    if (base >= 65535) continue;
    try {
      const probe = Bun.listen({ hostname: "127.0.0.1", port: base + 1, socket: { data() {} } });
      probe.stop(true);
      return base;
    } catch {
      /* taken: try another */
    }
  }
  throw new Error("no two consecutive free ports");
}

/** Polls `url` until it answers 200 or the deadline passes. */
export async function waitFor(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await Bun.sleep(200);
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms\n${log()}`);
}

/**
 * Starts `scripts/dev.ts` (apps, workers, proxy under the supervisor) against
 * a fresh migrated database with a seeded demo catalog.
 */
export async function startStack(opts: {
  products: number;
  instances: number;
  /** Extra variables (the page benchmark turns the rate limit and access log off). */
  env?: Record<string, string>;
}): Promise<Stack> {
  const database = await createTestDatabase("browser");
  await seedCatalog(database.sql, { products: opts.products });
  const redisUrl = await testRedisUrl();
  const proxyPort = freePort();
  const adminPort = freePort();
  const tlsPort = freePort();
  const cert = makeDevCert(join(tmpdir(), "browser-stack-certs"));
  const env = childEnv({
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    DATABASE_URL: database.url,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    PROXY_PORT: String(proxyPort),
    PROXY_TLS_PORT: String(tlsPort),
    // HTTPS beside plain HTTP: the tests use both, so no redirect.
    TLS_CERT_FILE: cert.cert,
    TLS_KEY_FILE: cert.key,
    PROXY_TLS_REDIRECT: "off",
    PROXY_ADMIN_PORT: String(adminPort),
    APP_PORT_BASE: String(freePortPair()),
    APP_INSTANCES: String(opts.instances),
    SEED_PRODUCTS: "0",
    // the console tour's webhook receiver listens on loopback
    WEBHOOKS_ALLOW_PRIVATE: "true",
    ...opts.env,
  });
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "../dev.ts")], {
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const collect = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) output = (output + new TextDecoder().decode(chunk)).slice(-8000);
  };
  void collect(child.stdout);
  void collect(child.stderr);
  const url = `http://127.0.0.1:${proxyPort}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.race([child.exited, Bun.sleep(20_000)]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await database.drop();
  };
  try {
    await waitFor(`${url}/readyz`, 60_000, () => output);
    // every instance, not just the first one up: the tests' later requests may land on any
    await waitFor(`${url}/`, 30_000, () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, httpsUrl: `https://127.0.0.1:${tlsPort}`, adminPort, database, stop };
}
