import { afterAll, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { loadConfig } from "../platform/config.ts";
import { defaultProxyConfig } from "./config.ts";
import {
  killAll,
  spawnUpstream,
  startTestProxy,
  testConfig,
  testRedisUrl,
  waitFor,
} from "./testing/helpers.ts";

/**
 * The storefront's sign-in and register pages post passwords like the API's
 * auth routes do, so the default zones hold them to the same per-IP `auth`
 * bucket (a password-guessing client cannot switch to the page forms).
 */
afterAll(killAll);

const defaults = defaultProxyConfig(loadConfig({})).rateLimit.zones;

test("the default zones put /signin and /register in the per-IP auth zone, before the general ones", () => {
  const auth = defaults.filter((z) => z.name === "auth");
  expect(auth.map((z) => z.prefix)).toEqual(["/api/auth/", "/signin", "/register"]);
  expect(auth.every((z) => z.byIp === true)).toBe(true);
  expect(new Set(auth.map((z) => `${z.rate}:${z.burst}`)).size).toBe(1); // the same limits as the API's
});

const redisUrl = await testRedisUrl();
const prefix = `rlpages:${process.pid}:${Date.now()}:`;

afterAll(async () => {
  if (!redisUrl) return;
  const r = new Redis(redisUrl, { lazyConnect: true });
  await r.connect();
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
});

describe.skipIf(!redisUrl)("page auth posts through the proxy (Redis)", () => {
  test("sign-in and register posts share the auth bucket and get 429 after its burst; other pages do not", async () => {
    // the default prefixes and bursts, with refill slowed so no token comes back during the test
    const zones = defaults.map((z) => ({ ...z, rate: 0.001 }));
    const burst = defaults.find((z) => z.prefix === "/signin")!.burst;
    const up = await spawnUpstream("pages");
    const p = await startTestProxy(
      testConfig([up], { rateLimit: { enabled: true, zones, redisUrl: redisUrl!, keyPrefix: prefix } }),
    );
    try {
      const base = `http://127.0.0.1:${p.port}`;
      // Until the limiter's Redis connection is up it decides in-process: wait for a bucket
      // of another zone to appear in Redis, so every request below is counted in one place.
      const direct = new Redis(redisUrl!);
      try {
        await waitFor(async () => {
          await (await fetch(`${base}/api/ping`)).arrayBuffer();
          return (await direct.exists(`${prefix}api:ip:127.0.0.1`)) === 1;
        });
      } finally {
        direct.disconnect();
      }
      const form = { method: "POST", body: new URLSearchParams({ email: "a@b.c", password: "guess" }) };
      const statuses: number[] = [];
      for (let i = 0; i < burst; i++) {
        const r = await fetch(`${base}${i % 2 ? "/register" : "/signin?next=/account"}`, form);
        statuses.push(r.status);
        await r.arrayBuffer();
      }
      expect(statuses.filter((s) => s === 429)).toEqual([]); // whatever the upstream answers: passed through
      const signin = await fetch(`${base}/signin`, form);
      expect(signin.status).toBe(429);
      expect(Number(signin.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${base}/register`, form)).status).toBe(429);
      expect((await fetch(`${base}/api/auth/login`, form)).status).toBe(429); // one bucket with the API's
      expect((await fetch(`${base}/p/some-product`)).status).not.toBe(429);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });
});
