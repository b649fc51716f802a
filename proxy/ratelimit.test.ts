import { afterAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import Redis from "ioredis";
import {
  freePort,
  killAll,
  spawnUpstream,
  startTestProxy,
  testConfig,
  track,
  waitFor,
} from "./testing/helpers.ts";

/** Rate limiting against real Redis (shared at :6379 with a unique key prefix, or a private one to stop). */
afterAll(killAll);

const prefix = `rltest:${process.pid}:${Date.now()}:`;
const zones = [
  { name: "auth", prefix: "/api/auth/", rate: 1, burst: 3 },
  { name: "api", prefix: "/api/", rate: 1, burst: 5 },
];

const secret = "test-secret-for-the-proxy-rate-limiter-0123456789";
function token(sub: string, expIn = 300): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const h = b64({ alg: "HS256", typ: "JWT" });
  const p = b64({ sub, exp: Math.floor(Date.now() / 1000) + expIn });
  return `${h}.${p}.${createHmac("sha256", secret).update(`${h}.${p}`).digest("base64url")}`;
}

afterAll(async () => {
  const r = new Redis("redis://127.0.0.1:6379", { lazyConnect: true });
  await r.connect();
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
});

describe("rate limiting", () => {
  test("429 with Retry-After and RateLimit-* after the burst, per zone and per user", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(
      testConfig([up], {
        jwtSecret: secret,
        rateLimit: { enabled: true, zones, redisUrl: "redis://127.0.0.1:6379", keyPrefix: prefix },
      }),
    );
    try {
      const base = `http://127.0.0.1:${p.port}`;
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

      const r = new Redis("redis://127.0.0.1:6379");
      expect(await r.exists(`${prefix}api:u:user-1`)).toBe(1);
      await r.quit();
      expect(p.core.metrics.rateLimited.get({ zone: "api" })).toBeGreaterThan(0);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("fails open to in-process buckets when Redis stops", async () => {
    const port = freePort();
    const redis = Bun.spawn(["redis-server", "--port", String(port), "--save", "", "--appendonly", "no"], {
      stdout: "ignore",
      stderr: "ignore",
    });
    track(redis);
    await waitFor(async () => {
      try {
        const c = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => null });
        c.on("error", () => {});
        await c.connect();
        await c.quit();
        return true;
      } catch {
        return false;
      }
    });
    const up = await spawnUpstream("a");
    const p = await startTestProxy(
      testConfig([up], {
        rateLimit: { enabled: true, zones, redisUrl: `redis://127.0.0.1:${port}`, keyPrefix: prefix },
      }),
    );
    try {
      const base = `http://127.0.0.1:${p.port}`;
      await waitFor(async () => (await fetch(`${base}/api/who`)).status === 200);
      redis.kill(9);
      await redis.exited;
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await fetch(`${base}/api/who`)).status);
      // No 5xx: requests pass under the local bucket, which still limits.
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses).toContain(429);
      expect(p.core.metrics.rateLimitFallback.get({})).toBe(1);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });
});
