import { afterAll, expect, test } from "bun:test";
import { loadProxyConfig } from "./config.ts";
import { killAll, rawExchange, spawnUpstream, startTestProxy, testConfig } from "./testing/helpers.ts";
import { parseCidrs, TrustedProxies } from "./trusted.ts";

/**
 * Issue 19 item 1: PROXY_TRUSTED_PROXIES. Only from a trusted peer is the
 * client taken from X-Forwarded-For, walking from the right past trusted hops.
 * The test's connections come from 127.0.0.1; "untrusted" runs trust another
 * address instead.
 */
afterAll(killAll);

const zones = [{ name: "auth", prefix: "/api/auth/", rate: 0.001, burst: 1, byIp: true }];

const send = (port: number, target: string, xff?: string) =>
  rawExchange(
    port,
    `GET ${target} HTTP/1.1\r\nHost: shop.test\r\n${xff ? `X-Forwarded-For: ${xff}\r\n` : ""}Connection: close\r\n\r\n`,
  );
const status = (raw: string) => Number(raw.slice(9, 12));
const body = (raw: string) => JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)) as Record<string, string>;

test("CIDR parsing and the right-to-left walk", () => {
  expect(parseCidrs("10.0.0.0/8, ::1, fd00::/8")).toEqual(["10.0.0.0/8", "::1/128", "fd00::/8"]);
  expect(() => parseCidrs("10.0.0.0/33")).toThrow(/bad CIDR/);
  expect(() => parseCidrs("example.com")).toThrow(/bad CIDR/);
  expect(() => loadProxyConfig({ PROXY_TRUSTED_PROXIES: "10.0.0.0/" })).toThrow();
  expect(loadProxyConfig({}).trustedProxies).toEqual([]);
  const t = new TrustedProxies(parseCidrs("127.0.0.1, 10.0.0.0/8, fd00::/8"));
  expect(t.clientFrom("6.6.6.6, 203.0.113.9, 10.1.1.1")).toEqual({
    ip: "203.0.113.9",
    chain: "6.6.6.6, 203.0.113.9",
  });
  expect(t.clientFrom("2001:db8::1, fd00::5")?.ip).toBe("2001:db8::1");
  expect(t.clientFrom("10.0.0.1, 10.0.0.2")?.ip).toBe("10.0.0.1");
  expect(t.clientFrom("203.0.113.9, not-an-ip")).toBeNull();
  expect(t.clientFrom(undefined)).toBeNull();
  expect(new TrustedProxies([]).has("127.0.0.1")).toBe(false);
  expect(t.has("::ffff:10.1.2.3")).toBe(true);
  expect(t.has("::ffff:192.0.2.1")).toBe(false);
});

test("from a trusted peer, X-Forwarded-For addresses get their own buckets and reach the app as the client", async () => {
  const up = await spawnUpstream("a");
  const p = await startTestProxy(
    testConfig([up], {
      trustedProxies: ["127.0.0.1/32", "10.0.0.0/8"],
      rateLimit: { enabled: true, zones, redisUrl: undefined },
    }),
  );
  try {
    expect(status(await send(p.port, "/api/auth/x", "203.0.113.7"))).toBe(200);
    expect(status(await send(p.port, "/api/auth/x", "203.0.113.8"))).toBe(200);
    expect(status(await send(p.port, "/api/auth/x", "203.0.113.7"))).toBe(429);
    // A spoofed left-most entry is not believed: the right-most untrusted one is the client (…7, spent).
    expect(status(await send(p.port, "/api/auth/x", "198.51.100.1, 203.0.113.7, 10.9.9.9"))).toBe(429);
    // What the app sees: the client last in X-Forwarded-For and as X-Real-IP.
    const seen = body(await send(p.port, "/api/headers", "198.51.100.1, 203.0.113.20, 10.9.9.9"));
    expect(seen["x-forwarded-for"]).toBe("198.51.100.1, 203.0.113.20");
    expect(seen["x-real-ip"]).toBe("203.0.113.20");
  } finally {
    await p.stop(1000);
    await up.kill();
  }
});

test("from an untrusted peer the header is ignored: one bucket, the peer is the client", async () => {
  const up = await spawnUpstream("a");
  const p = await startTestProxy(
    testConfig([up], {
      trustedProxies: ["127.0.0.2/32"],
      rateLimit: { enabled: true, zones, redisUrl: undefined },
    }),
  );
  try {
    expect(status(await send(p.port, "/api/auth/x", "203.0.113.7"))).toBe(200);
    expect(status(await send(p.port, "/api/auth/x", "203.0.113.8"))).toBe(429);
    const seen = body(await send(p.port, "/api/headers", "203.0.113.9"));
    expect(seen["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.1");
    expect(seen["x-real-ip"]).toBe("127.0.0.1");
  } finally {
    await p.stop(1000);
    await up.kill();
  }
});

test("PROXY_REAL_IP_HEADER: a single-address header from a trusted peer names the client", async () => {
  expect(loadProxyConfig({ PROXY_REAL_IP_HEADER: "CF-Connecting-IP" }).realIpHeader).toBe("cf-connecting-ip");
  expect(() => loadProxyConfig({ PROXY_REAL_IP_HEADER: "bad header" })).toThrow(/PROXY_REAL_IP_HEADER/);
  const up = await spawnUpstream("a");
  const trusting = await startTestProxy(
    testConfig([up], { trustedProxies: ["127.0.0.1/32"], realIpHeader: "cf-connecting-ip" }),
  );
  const untrusting = await startTestProxy(
    testConfig([up], { trustedProxies: ["127.0.0.2/32"], realIpHeader: "cf-connecting-ip" }),
  );
  const ask = (port: number, lines: string) =>
    rawExchange(port, `GET /api/headers HTTP/1.1\r\nHost: shop.test\r\n${lines}Connection: close\r\n\r\n`);
  try {
    const seen = body(
      await ask(trusting.port, "X-Forwarded-For: 6.6.6.6\r\nCf-Connecting-Ip:  2001:db8::9 \r\n"),
    );
    expect([seen["x-real-ip"], seen["x-forwarded-for"]]).toEqual(["2001:db8::9", "2001:db8::9"]);
    // Not one address: the peer stays the client (its X-Forwarded-For is not consulted either).
    const junk = body(await ask(trusting.port, "CF-Connecting-IP: 203.0.113.5, 10.0.0.1\r\n"));
    expect(junk["x-real-ip"]).toBe("127.0.0.1");
    const ignored = body(await ask(untrusting.port, "CF-Connecting-IP: 203.0.113.5\r\n"));
    expect(ignored["x-real-ip"]).toBe("127.0.0.1");
  } finally {
    await trusting.stop(1000);
    await untrusting.stop(1000);
    await up.kill();
  }
});
