import { afterAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { defaultRateZones } from "./config.ts";
import { normalisePath } from "./path.ts";
import { killAll, rawExchange, spawnUpstream, startTestProxy, testConfig } from "./testing/helpers.ts";

/**
 * Issue 11, proxy side: rate-limit zones decided on the path the app routes
 * (decoded and normalised), the auth zone per client IP whatever the token,
 * operations paths limited, /metrics never on the public listener, the admin
 * port on loopback. In-process buckets (no Redis URL): the keying is the same.
 */
afterAll(killAll);

const secret = "test-secret-for-the-proxy-security-tests-0123456789";
function token(sub: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const h = b64({ alg: "HS256", typ: "JWT" });
  const p = b64({ sub, exp: Math.floor(Date.now() / 1000) + 300 });
  return `${h}.${p}.${createHmac("sha256", secret).update(`${h}.${p}`).digest("base64url")}`;
}

// No token comes back while a test runs (one per 1000 s).
const zones = [
  { name: "auth", prefix: "/api/auth/", rate: 0.001, burst: 3, byIp: true },
  { name: "api", prefix: "/api/", rate: 0.001, burst: 100 },
  { name: "ops", prefix: "/health", rate: 0.001, burst: 2, byIp: true },
];

const statusOf = (raw: string) => Number(raw.slice(9, 12));
const get = (port: number, target: string, extra = "") =>
  rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: shop.test\r\n${extra}Connection: close\r\n\r\n`).then(
    statusOf,
  );
const post = (port: number, target: string, extra = "") =>
  rawExchange(
    port,
    `POST ${target} HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 0\r\n${extra}Connection: close\r\n\r\n`,
  ).then(statusOf);

test("normalisePath: escapes of unreserved characters, dot segments, repeated slashes, backslashes", () => {
  expect(normalisePath("/api/%61uth/login")).toBe("/api/auth/login");
  expect(normalisePath("/api/%41%7e%2D")).toBe("/api/A~-");
  expect(normalisePath("/api//auth///login")).toBe("/api/auth/login");
  expect(normalisePath("/api/x/../auth/./login")).toBe("/api/auth/login");
  expect(normalisePath("/api/%2e%2E/api/auth/login")).toBe("/api/auth/login");
  expect(normalisePath("/api\\auth/login")).toBe("/api/auth/login");
  expect(normalisePath("/a/%2f/%c3%a9")).toBe("/a/%2F/%C3%A9");
  expect(normalisePath("/../../etc")).toBe("/etc");
  expect(normalisePath("/a/%zz%")).toBe("/a/%zz%");
  // The plain path is returned as it is (no new string on the hot path).
  const plain = "/api/products/42";
  expect(normalisePath(plain)).toBe(plain);
});

describe("rate-limit zones on the normalised path", () => {
  test("spellings of /api/auth/ share the auth bucket; tokens never replace the IP's bucket", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(
      testConfig([up], { jwtSecret: secret, rateLimit: { enabled: true, zones, redisUrl: undefined } }),
    );
    try {
      // Three tokens in the auth bucket, each spent under a different spelling.
      expect(await post(p.port, "/api/%61uth/login")).toBe(200);
      expect(await post(p.port, "/api//auth/login")).toBe(200);
      expect(await post(p.port, "/api/x/../auth/login")).toBe(200);
      // Empty now, however it is written, and whichever account's token comes along.
      expect(await post(p.port, "/api/%2e/auth/login")).toBe(429);
      expect(await post(p.port, "/api/auth/login", `Authorization: Bearer ${token("u1")}\r\n`)).toBe(429);
      expect(await post(p.port, "/api/auth/login", `Authorization: Bearer ${token("u2")}\r\n`)).toBe(429);
      // The api zone is unaffected.
      expect(await get(p.port, "/api/who")).toBe(200);
      expect(p.core.metrics.rateLimited.get({ zone: "auth" })).toBe(3);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("a token adds a per-user bucket in an IP-keyed zone: one account cannot spread over addresses", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(
      testConfig([up], { jwtSecret: secret, rateLimit: { enabled: true, zones, redisUrl: undefined } }),
    );
    try {
      const auth = zones[0]!;
      const lim = p.core.limiter;
      // The user's bucket is spent from three addresses, one request each...
      for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3"])
        expect((await lim.takeFor(auth, ip, "u9")).allowed).toBe(true);
      // ...so a fourth address with the same account is refused, while that address alone is not.
      expect((await lim.takeFor(auth, "10.0.0.4", "u9")).allowed).toBe(false);
      expect((await lim.takeFor(auth, "10.0.0.5", null)).allowed).toBe(true);
      // In a zone that is not IP-keyed the user's bucket replaces the IP's (many users behind one NAT).
      const api = zones[1]!;
      for (let i = 0; i < 100; i++) await lim.takeFor(api, "10.0.0.6", null);
      expect((await lim.takeFor(api, "10.0.0.6", null)).allowed).toBe(false);
      expect((await lim.takeFor(api, "10.0.0.6", "u10")).allowed).toBe(true);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("operations paths are limited too (default zones: /health* and /readyz share a burst of 20 per IP)", async () => {
    const up = await spawnUpstream("a");
    // The default zones' paths and bursts; no token comes back during the test.
    const defaults = defaultRateZones.map((z) => ({ ...z, rate: 0.001 }));
    const p = await startTestProxy(
      testConfig([up], { rateLimit: { enabled: true, zones: defaults, redisUrl: undefined } }),
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push(await get(p.port, "/health"), await get(p.port, "/readyz"));
      expect(statuses).not.toContain(429);
      expect(await get(p.port, "/health")).toBe(429);
      expect(await get(p.port, "/healthz")).toBe(429);
      expect(await get(p.port, "/readyz")).toBe(429);
      expect(p.core.metrics.rateLimited.get({ zone: "ops" })).toBe(3);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });
});

describe("operations surface", () => {
  test("/metrics on the public listener is 404 from the proxy, in any spelling; upstream never asked", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const hits = async () =>
        ((await (await fetch(`http://127.0.0.1:${up.port}/api/hits`)).json()) as { hits: number }).hits;
      const before = await hits();
      for (const target of [
        "/metrics",
        "/metrics?x=1",
        "/%6Detrics",
        "//metrics",
        "/./metrics",
        "/metrics/",
      ]) {
        const raw = await rawExchange(
          p.port,
          `GET ${target} HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n`,
        );
        expect(statusOf(raw)).toBe(404);
        expect(raw).not.toContain("proxy_requests_total");
      }
      // One hit: the counting request itself.
      expect(await hits()).toBe(before + 1);
      // The admin port still serves them.
      const admin = await fetch(`http://127.0.0.1:${p.adminPort}/metrics`);
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain("proxy_");
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("the admin port binds loopback by default; PROXY_ADMIN_HOST changes it", async () => {
    const { loadProxyConfig } = await import("./config.ts");
    expect(loadProxyConfig({}).adminHost).toBe("127.0.0.1");
    expect(loadProxyConfig({ PROXY_ADMIN_HOST: "0.0.0.0" }).adminHost).toBe("0.0.0.0");
    const up = await spawnUpstream("a");
    // The public listeners on every interface, the admin port still on loopback only.
    const p = await startTestProxy(
      testConfig([up], { host: "0.0.0.0", adminHost: loadProxyConfig({}).adminHost }),
    );
    try {
      const other = Object.values((await import("node:os")).networkInterfaces())
        .flat()
        .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
      expect((await fetch(`http://127.0.0.1:${p.adminPort}/healthz`)).status).toBe(200);
      // A non-loopback address of this machine reaches the public port but not the admin port.
      expect(other).toBeDefined();
      expect((await fetch(`http://${other}:${p.port}/api/who`)).status).toBe(200);
      await expect(fetch(`http://${other}:${p.adminPort}/healthz`)).rejects.toThrow();
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });
});
