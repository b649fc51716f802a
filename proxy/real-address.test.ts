import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../platform/testing/until.ts";
import { makeDevCert } from "./dev-cert.ts";
import { encodeV1, encodeV2, type ProxyAddresses } from "./proxy-protocol.ts";
import { killAll, spawnUpstream, type TestUpstream, testRedisUrl } from "./testing/helpers.ts";
import {
  exchange,
  getRequest,
  hold,
  jsonOf,
  type SpawnedProxy,
  spawnProxyMain,
  statusOf,
} from "./testing/real-client.ts";

/**
 * Issue 19 acceptance over real sockets, against the real `bun proxy/main.ts`
 * (its access log read from its stdout, rate limits in the real Redis under a
 * key prefix of this run): trusted X-Forwarded-For, an untrusted source
 * (127.0.0.2), spoofed entries, and the PROXY protocol v1/v2 over IPv4/IPv6 on
 * the plain and the TLS listener.
 */

const tmp = mkdtempSync(join(tmpdir(), "proxy-real-address-"));
let up: TestUpstream;
let redisUrl: string | null;
beforeAll(async () => {
  up = await spawnUpstream("a");
  redisUrl = await testRedisUrl();
});
afterAll(async () => {
  await killAll();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Waits until the proxy's rate limiter keeps its buckets in Redis: it connects
 * after start-up, and requests before that use in-process buckets.
 */
async function untilSharedBuckets(send: (n: number) => Promise<unknown>, prefix: string): Promise<void> {
  if (!redisUrl) return;
  const { default: Redis } = await import("ioredis");
  const redis = new Redis(redisUrl);
  let n = 0;
  try {
    await until(async () => {
      n++;
      await send(n);
      return (await redis.exists(`${prefix}auth:ip:192.0.2.${n}`)) === 1;
    }, "the proxy's rate limiter on Redis");
  } finally {
    redis.disconnect();
  }
}

/** Env of a proxy with the auth zone at 1 request per ~17 minutes, per client IP. */
const prefix = `rl-test-${process.pid}-${Date.now()}:`;
function env(extra: Record<string, string>): Record<string, string> {
  return {
    PROXY_UPSTREAMS: `127.0.0.1:${up.port}`,
    PROXY_ACCESS_LOG: "on",
    PROXY_RATE_ZONES: "auth:/api/auth/:0.001:1:ip",
    PROXY_RATE_KEY_PREFIX: prefix,
    ...(redisUrl ? { REDIS_URL: redisUrl } : { PROXY_RATE_LIMIT: "off" }),
    ...extra,
  };
}

/** The access-log line of the request with this target (waits for the proxy's 100 ms flush). */
const accessLine = (p: SpawnedProxy, target: string) =>
  p.logs.waitFor((l) => l.msg === "access" && l.path === target, 5000);

describe("trusted X-Forwarded-For (PROXY_TRUSTED_PROXIES)", () => {
  let p: SpawnedProxy;
  beforeAll(async () => {
    p = await spawnProxyMain(env({ PROXY_TRUSTED_PROXIES: "127.0.0.1/32, 10.0.0.0/8" }));
    await untilSharedBuckets((n) => send(`/api/auth/warm${n}`, `192.0.2.${n}`), prefix);
  });

  const send = (target: string, xff: string, localAddress = "127.0.0.1") =>
    exchange(p.port, { localAddress, request: getRequest(target, `X-Forwarded-For: ${xff}\r\n`) });

  test("from a trusted peer, two X-Forwarded-For addresses get separate buckets and appear in the access log", async () => {
    if (!redisUrl) return console.warn("skipped: no Redis");
    expect(statusOf(await send("/api/auth/t1?a", "203.0.113.7"))).toBe(200);
    expect(statusOf(await send("/api/auth/t1?b", "203.0.113.8"))).toBe(200);
    expect(statusOf(await send("/api/auth/t1?c", "203.0.113.7"))).toBe(429);
    expect((await accessLine(p, "/api/auth/t1?a")).ip).toBe("203.0.113.7");
    expect((await accessLine(p, "/api/auth/t1?b")).ip).toBe("203.0.113.8");
    const c = await accessLine(p, "/api/auth/t1?c");
    expect([c.ip, c.status]).toEqual(["203.0.113.7", 429]);
  });

  test("a spoofed left-most entry behind a trusted hop is not believed", async () => {
    const r = await send("/api/headers?spoof", "198.51.100.1, 203.0.113.20, 10.9.9.9");
    expect(jsonOf(r)["x-real-ip"]).toBe("203.0.113.20");
    expect(jsonOf(r)["x-forwarded-for"]).toBe("198.51.100.1, 203.0.113.20");
    expect((await accessLine(p, "/api/headers?spoof")).ip).toBe("203.0.113.20");
    if (!redisUrl) return;
    // 203.0.113.7 spent its token above: a forged entry to its left does not buy another.
    expect(statusOf(await send("/api/auth/t1?d", "198.51.100.99, 203.0.113.7"))).toBe(429);
  });

  test("from an untrusted source (127.0.0.2) the header is ignored", async () => {
    const seen = jsonOf(await send("/api/headers?untrusted", "203.0.113.9", "127.0.0.2"));
    expect(seen["x-real-ip"]).toBe("127.0.0.2");
    expect(seen["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.2");
    expect((await accessLine(p, "/api/headers?untrusted")).ip).toBe("127.0.0.2");
    if (!redisUrl) return;
    expect(statusOf(await send("/api/auth/t2?a", "203.0.113.30", "127.0.0.2"))).toBe(200);
    // Another address in the header, same source: same bucket.
    expect(statusOf(await send("/api/auth/t2?b", "203.0.113.31", "127.0.0.2"))).toBe(429);
    expect((await accessLine(p, "/api/auth/t2?b")).ip).toBe("127.0.0.2");
  });
});

describe("PROXY protocol on both listeners (PROXY_PROXY_PROTOCOL=on)", () => {
  let p: SpawnedProxy;
  beforeAll(async () => {
    const { cert, key } = makeDevCert(tmp);
    p = await spawnProxyMain(
      env({
        PROXY_TRUSTED_PROXIES: "127.0.0.1/32",
        PROXY_PROXY_PROTOCOL: "on",
        PROXY_MAX_CONNS_PER_IP: "2",
        PROXY_TLS_REDIRECT: "off",
        TLS_CERT_FILE: cert,
        TLS_KEY_FILE: key,
      }),
    );
    await untilSharedBuckets(
      (n) =>
        exchange(p.port, { prefix: encodeV1(v4(`192.0.2.${n}`)), request: getRequest(`/api/auth/warm${n}`) }),
      prefix,
    );
  });

  const v4 = (ip: string): ProxyAddresses => ({
    sourceIp: ip,
    sourcePort: 40000,
    destIp: "10.0.0.1",
    destPort: 80,
  });
  const v6 = (ip: string): ProxyAddresses => ({
    sourceIp: ip,
    sourcePort: 40000,
    destIp: "2001:db8::1",
    destPort: 443,
  });
  const cases: [string, Buffer, string][] = [
    ["v1 IPv4", encodeV1(v4("203.0.113.41")), "203.0.113.41"],
    ["v1 IPv6", encodeV1(v6("2001:DB8:0::42")), "2001:db8::42"],
    ["v2 IPv4", encodeV2(v4("203.0.113.43")), "203.0.113.43"],
    ["v2 IPv6", encodeV2(v6("2001:db8::44")), "2001:db8::44"],
    ["v2 LOCAL (the balancer's own check)", encodeV2(null), "127.0.0.1"],
  ];

  for (const [name, header, ip] of cases)
    for (const tls of [false, true])
      test(`${name} sets the address (${tls ? "TLS" : "plain"} listener)`, async () => {
        const target = `/api/headers?${encodeURIComponent(name)}-${tls}`;
        const r = await exchange(tls ? p.tlsPort : p.port, {
          prefix: header,
          request: getRequest(target),
          tls,
        });
        expect(statusOf(r)).toBe(200);
        const seen = jsonOf(r);
        expect(seen["x-real-ip"]).toBe(ip);
        expect(seen["x-forwarded-for"]).toBe(ip);
        expect(seen["x-forwarded-proto"]).toBe(tls ? "https" : "http");
        expect((await accessLine(p, target)).ip).toBe(ip);
      });

  test("through the TLS relay, a 3 MB upload and an 80 KB response arrive whole", async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const sha = new Bun.CryptoHasher("sha256").update(body).digest("hex");
    const header = encodeV2(v6("2001:db8::77"));
    const up = await exchange(p.tlsPort, {
      prefix: header,
      tls: true,
      request: `POST /api/echo HTTP/1.1\r\nHost: shop.test\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.toString("latin1")}`,
      timeoutMs: 20_000,
    });
    expect(statusOf(up)).toBe(200);
    expect(jsonOf(up)).toMatchObject({ bytes: body.length, sha });
    const down = await exchange(p.tlsPort, { prefix: header, tls: true, request: getRequest("/api/fat") });
    expect(statusOf(down)).toBe(200);
    expect(down.text.endsWith("b".repeat(50_000))).toBe(true);
  });

  test("addresses from PROXY headers get their own rate-limit buckets", async () => {
    if (!redisUrl) return console.warn("skipped: no Redis");
    const as = (ip: string, q: string) =>
      exchange(p.port, { prefix: encodeV2(v4(ip)), request: getRequest(`/api/auth/pp?${q}`) });
    expect(statusOf(await as("198.51.100.61", "a"))).toBe(200);
    expect(statusOf(await as("198.51.100.62", "b"))).toBe(200);
    expect(statusOf(await as("198.51.100.61", "c"))).toBe(429);
  });

  test("a malformed, missing or oversized header closes the connection without a reply", async () => {
    const bad: [string, Uint8Array][] = [
      ["malformed v1", Buffer.from("PROXY TCP4 203.0.113.7 10.0.0.1 99999 80\r\n")],
      ["v1 too long", Buffer.from(`PROXY UNKNOWN ${"x".repeat(200)}\r\n`)],
      [
        "v2 bad version",
        Buffer.concat([encodeV2(v4("203.0.113.7")).subarray(0, 12), Buffer.from([0x31, 0x11, 0, 12])]),
      ],
      ["v2 oversized", Buffer.concat([encodeV2(null).subarray(0, 14), Buffer.from([0xff, 0xff])])],
      ["missing", Buffer.alloc(0)],
    ];
    for (const [name, prefix] of bad)
      for (const tls of [false, true]) {
        // Over TLS the request never gets a handshake to ride on: the header is refused first.
        const r = await exchange(tls ? p.tlsPort : p.port, { prefix, request: getRequest("/api/who"), tls });
        expect([name, tls, r.closed, r.text]).toEqual([name, tls, true, ""]);
      }
  });

  test("a header from an untrusted source (127.0.0.2) closes the connection", async () => {
    for (const port of [p.port, p.tlsPort]) {
      const r = await exchange(port, {
        localAddress: "127.0.0.2",
        prefix: encodeV1(v4("203.0.113.7")),
        request: getRequest("/api/who"),
        tls: port === p.tlsPort,
      });
      expect([r.closed, r.text]).toEqual([true, ""]);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${p.adminPort}/metrics`)).text();
    expect(metrics).toMatch(/proxy_proxy_protocol_refused_total\{reason="untrusted"\} [2-9]/);
  });

  test("the per-IP connection cap counts the address the header names, not the balancer", async () => {
    const header = encodeV1(v4("198.51.100.70"));
    const held = [await hold(p.port, header), await hold(p.port, header)];
    try {
      // Held connections are counted once their header is read: the third is refused from then on.
      let third = { text: "", closed: false };
      await until(
        async () => {
          third = await exchange(p.port, { prefix: header, request: getRequest("/api/who") });
          return statusOf(third) === 429;
        },
        "a 429 for the third connection",
        5000,
      );
      expect(third.text).toContain("too-many-connections");
      // Another client behind the same balancer is not affected.
      const other = await exchange(p.port, {
        prefix: encodeV1(v4("198.51.100.71")),
        request: getRequest("/api/who"),
      });
      expect(statusOf(other)).toBe(200);
    } finally {
      for (const h of held) h.sock.destroy();
    }
  });
});
