import { afterAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import Redis from "ioredis";
import { startTcpRelay } from "../platform/testing/tcp-relay.ts";
import {
  killAll,
  spawnUpstream,
  startTestProxy,
  testConfig,
  testRedisUrl,
  waitFor,
} from "./testing/helpers.ts";

/**
 * Rate limiting against real Redis (REDIS_URL or the local one, shared, with a
 * key prefix of this run). Skipped, visibly, without Redis; in CI
 * (`CI=true` / `REQUIRE_SERVICES=1`) a missing Redis fails the file instead.
 * Outages go through a TCP relay of the test's own, never by stopping Redis.
 */
afterAll(killAll);

const redisUrl = await testRedisUrl();

const prefix = `rltest:${process.pid}:${Date.now()}:`;
// One token per 1000 s: no token can come back while a test runs, however slow the machine.
const zones = [
  { name: "auth", prefix: "/api/auth/", rate: 0.001, burst: 3 },
  { name: "api", prefix: "/api/", rate: 0.001, burst: 5 },
];

const secret = "test-secret-for-the-proxy-rate-limiter-0123456789";
function token(sub: string, expIn = 300): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const h = b64({ alg: "HS256", typ: "JWT" });
  const p = b64({ sub, exp: Math.floor(Date.now() / 1000) + expIn });
  return `${h}.${p}.${createHmac("sha256", secret).update(`${h}.${p}`).digest("base64url")}`;
}

afterAll(async () => {
  if (!redisUrl) return;
  const r = new Redis(redisUrl, { lazyConnect: true });
  await r.connect();
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
});

describe.skipIf(!redisUrl)("rate limiting (Redis)", () => {
  test("429 with Retry-After and RateLimit-* after the burst, per zone and per user", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(
      testConfig([up], {
        jwtSecret: secret,
        rateLimit: { enabled: true, zones, redisUrl: redisUrl!, keyPrefix: prefix },
      }),
    );
    const r = new Redis(redisUrl!);
    try {
      const base = `http://127.0.0.1:${p.port}`;
      // Until the limiter's Redis connection is ready it decides in-process (a slow machine may take
      // seconds). Wait until a decision lands in Redis, using a fresh user's bucket per attempt so the
      // buckets counted below stay untouched and every request below is decided in one place.
      let attempt = 0;
      await waitFor(async () => {
        const who = `warm-up-${++attempt}`;
        const res = await fetch(`${base}/api/who`, { headers: { authorization: `Bearer ${token(who)}` } });
        await res.arrayBuffer();
        return (await r.exists(`${prefix}api:u:${who}`)) === 1;
      }, 30_000);
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 8; i++) {
        last = await fetch(`${base}/api/who`);
        statuses.push(last.status);
        if (last.status === 200) {
          expect(last.headers.get("ratelimit-limit")).toBe("5");
          await last.arrayBuffer();
        }
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toContain(429);
      expect(last!.status).toBe(429);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(last!.headers.get("ratelimit-limit")).toBe("5");
      expect(last!.headers.get("ratelimit-remaining")).toBe("0");
      expect(Number(last!.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
      expect(last!.headers.get("content-type")).toBe("application/problem+json");
      expect(((await last!.json()) as { status: number }).status).toBe(429);

      // The stricter auth zone has its own, smaller bucket.
      const auth: number[] = [];
      for (let i = 0; i < 5; i++) auth.push((await fetch(`${base}/api/auth/login`)).status);
      expect(auth.slice(0, 3)).toEqual([200, 200, 200]);
      expect(auth.slice(3)).toEqual([429, 429]);

      // A valid token gets the user's own bucket; a forged one falls back to the (empty) IP bucket.
      const good = await fetch(`${base}/api/who`, {
        headers: { authorization: `Bearer ${token("user-1")}` },
      });
      expect(good.status).toBe(200);
      const forged = `${token("user-2").slice(0, -4)}AAAA`;
      const bad = await fetch(`${base}/api/who`, { headers: { authorization: `Bearer ${forged}` } });
      expect(bad.status).toBe(429);
      const expired = await fetch(`${base}/api/who`, {
        headers: { authorization: `Bearer ${token("user-3", -10)}` },
      });
      expect(expired.status).toBe(429);

      expect(await r.exists(`${prefix}api:u:user-1`)).toBe(1);
      expect(p.core.metrics.rateLimited.get({ zone: "api" })).toBeGreaterThan(0);
    } finally {
      r.disconnect();
      await p.stop(1000);
      await up.kill();
    }
  });

  test("an outage falls back to in-process buckets (no 5xx); once Redis answers again the shared buckets are used", async () => {
    const target = new URL(redisUrl!);
    const relay = await startTcpRelay({ host: target.hostname, port: Number(target.port || 6379) });
    const viaRelay = relay.urlFor(redisUrl!);
    const outagePrefix = `${prefix}outage:`;
    const up = await spawnUpstream("a");
    const p = await startTestProxy(
      testConfig([up], {
        jwtSecret: secret,
        rateLimit: { enabled: true, zones, redisUrl: viaRelay, keyPrefix: outagePrefix },
      }),
    );
    const direct = new Redis(redisUrl!);
    const key = `${outagePrefix}api:ip:127.0.0.1`;
    // A user bucket first used during the outage: fresh in the process and absent from Redis.
    const auth = { authorization: `Bearer ${token("outage-user")}` };
    const userKey = `${outagePrefix}api:u:outage-user`;
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const fallback = () => p.core.metrics.rateLimitFallback.get({});
      // Decisions are made in Redis: the bucket is there and counts down.
      await waitFor(async () => {
        await (await fetch(`${base}/api/who`)).arrayBuffer();
        return (await direct.exists(key)) === 1;
      });
      expect(fallback()).toBe(0);

      relay.cut();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${base}/api/who`, { headers: auth })).status);
      // No 5xx: requests pass under the local bucket (a fresh one: burst 5), which still limits.
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      expect(fallback()).toBe(1);
      expect(await direct.exists(userKey)).toBe(0);

      relay.restore();
      // Back on Redis: the limiter says so, and the bucket is written in Redis again.
      await waitFor(async () => {
        await (await fetch(`${base}/api/who`, { headers: auth })).arrayBuffer();
        return fallback() === 0;
      }, 15_000);
      expect(await direct.exists(userKey)).toBe(1);
      // The shared bucket knows nothing of the local one: it starts full and is counted down in Redis.
      const before = Number(await direct.hget(userKey, "t"));
      await (await fetch(`${base}/api/who`, { headers: auth })).arrayBuffer();
      expect(Number(await direct.hget(userKey, "t"))).toBeCloseTo(before - 1, 2);
    } finally {
      direct.disconnect();
      await p.stop(1000);
      await up.kill();
      await relay.close();
    }
  }, 30_000);
});
