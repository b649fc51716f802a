import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { ProxyOverrides } from "./config.ts";
import { makeDevCert } from "./dev-cert.ts";
import type { ProxyHandle } from "./server.ts";
import { closeSession, h2Request, h2Session } from "./testing/h2.ts";
import { killAll, spawnUpstream, startTestProxy, type TestUpstream, testConfig } from "./testing/helpers.ts";

/**
 * Issue 18 items 1 and 5: HTTP/2 to clients on the TLS listener, with a real
 * client (node:http2, and curl). Every proxy behaviour holds for streams:
 * headers, balancing and retries, bodies and their limit, compression, static
 * files, rate limits, the access log, the drain; HTTP/1.1 clients share the port.
 * The floods are in `h2-floods.test.ts`.
 */
const certs = makeDevCert(join(mkdtempSync(join(tmpdir(), "h2-")), "certs"));
const tls = { certFile: certs.cert, keyFile: certs.key, redirectHttp: false };
let a: TestUpstream;
let b: TestUpstream;

beforeAll(async () => {
  [a, b] = await Promise.all([spawnUpstream("a"), spawnUpstream("b")]);
});
afterAll(killAll);

async function withProxy(over: ProxyOverrides, run: (p: ProxyHandle) => Promise<void>, ups = [a, b]) {
  const p = await startTestProxy(testConfig(ups, { tls, ...over }));
  try {
    await run(p);
  } finally {
    await p.stop(1000);
  }
}

const json = (body: Buffer) => JSON.parse(body.toString()) as Record<string, string>;

describe("HTTP/2 on the TLS listener", () => {
  test("curl --http2 gets HTTP/2; HTTP/1.1 (ALPN http/1.1 or none) is served on the same port", async () => {
    await withProxy({}, async (p) => {
      // Asynchronously: the proxy runs in this process and must keep serving meanwhile.
      const curl = (flag: string) =>
        new Response(
          Bun.spawn(
            [
              "curl",
              "-sk",
              flag,
              "-o",
              "/dev/null",
              "-w",
              "%{http_version} %{http_code}",
              `https://127.0.0.1:${p.tlsPort}/api/who`,
            ],
            { stdout: "pipe" },
          ).stdout,
        ).text();
      expect(await curl("--http2")).toBe("2 200");
      expect(await curl("--http1.1")).toBe("1.1 200");
      // A TLS client that offers no ALPN at all (wrk, old clients) speaks HTTP/1.1.
      const raw = await new Promise<string>((resolve, reject) => {
        const s = tlsConnect({ host: "127.0.0.1", port: p.tlsPort!, rejectUnauthorized: false }, () =>
          s.write("GET /api/who HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n"),
        );
        let got = "";
        s.on("data", (d: Buffer) => {
          got += d.toString("latin1");
        });
        s.on("close", () => resolve(got));
        s.on("error", reject);
      });
      expect(raw.startsWith("HTTP/1.1 200")).toBe(true);
    });
  });

  test("headers: request id kept or made, forwarding headers, security headers, no hop-by-hop fields", async () => {
    await withProxy({}, async (p) => {
      const s = await h2Session(p.tlsPort!);
      try {
        const r = await h2Request(s, "/api/headers", {
          headers: { "x-request-id": "abc-123", cookie: ["a=1", "b=2"] },
        });
        expect(r.status).toBe(200);
        const seen = json(r.body);
        expect(seen["x-request-id"]).toBe("abc-123");
        expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
        expect(seen["x-real-ip"]).toBe("127.0.0.1");
        expect(seen["x-forwarded-proto"]).toBe("https");
        expect(seen["x-forwarded-host"]).toBe("shop.test");
        expect(seen.cookie).toBe("a=1; b=2");
        expect(r.headers["x-request-id"]).toBe("abc-123");
        expect(r.headers["strict-transport-security"]).toContain("max-age=");
        expect(r.headers["x-content-type-options"]).toBe("nosniff");
        expect(r.headers.connection).toBeUndefined();
        const made = await h2Request(s, "/api/who");
        expect(String(made.headers["x-request-id"])).toMatch(/^[0-9a-f]{32}$/);
        // /metrics is the admin port's only, over HTTP/2 too.
        expect((await h2Request(s, "/metrics")).status).toBe(404);
      } finally {
        await closeSession(s);
      }
    });
  });

  test("flow control and framing: a small client window gets every byte of many streams at once", async () => {
    await withProxy({}, async (p) => {
      const direct = async (u: TestUpstream, path: string) =>
        Buffer.from(await (await fetch(`http://127.0.0.1:${u.port}${path}`)).arrayBuffer());
      const bigs = [await direct(a, "/api/big"), await direct(b, "/api/big")];
      const fat = await direct(a, "/api/fat");
      // A 1000-byte stream window: large bodies wait in the proxy's queues for
      // WINDOW_UPDATEs; /api/fat's 30 KB head needs CONTINUATION frames; small ones end on their
      // only DATA frame. The encoder's table must stay in step over all of them.
      for (const settings of [{ initialWindowSize: 1000 }, {}]) {
        const s = await h2Session(p.tlsPort!, settings);
        try {
          const paths = Array.from({ length: 30 }, (_, i) => ["/api/who", "/api/big", "/api/fat"][i % 3]!);
          const got = await Promise.all(paths.map((path) => h2Request(s, path)));
          got.forEach((r, i) => {
            expect(r.status).toBe(200);
            // The body names the upstream that answered.
            if (paths[i] === "/api/big") expect(bigs.some((b) => r.body.equals(b))).toBe(true);
            else if (paths[i] === "/api/fat") {
              expect(r.body.equals(fat)).toBe(true);
              expect(r.headers["x-fat"]).toBe("h".repeat(30_000));
            } else expect(["a", "b"]).toContain(String(json(r.body).name));
            expect(r.headers["x-content-type-options"]).toBe("nosniff");
          });
          // HEAD: no body, so END_STREAM rides on the HEADERS frame.
          const head = await h2Request(s, "/api/big", { method: "HEAD" });
          expect(head.status).toBe(200);
          expect(head.body.length).toBe(0);
        } finally {
          await closeSession(s);
        }
      }
    });
  });

  test("trusted proxies: X-Forwarded-For from a trusted peer names the client", async () => {
    await withProxy({ trustedProxies: ["127.0.0.1/32"] }, async (p) => {
      const s = await h2Session(p.tlsPort!);
      try {
        const seen = json(
          (
            await h2Request(s, "/api/headers", {
              headers: { "x-forwarded-for": "198.51.100.1, 203.0.113.20" },
            })
          ).body,
        );
        expect(seen["x-real-ip"]).toBe("203.0.113.20");
        expect(seen["x-forwarded-for"]).toBe("198.51.100.1, 203.0.113.20");
      } finally {
        await closeSession(s);
      }
    });
  });

  test("balancing over both upstreams, and a killed upstream is retried on the other", async () => {
    const c = await spawnUpstream("c");
    await withProxy(
      {},
      async (p) => {
        const s = await h2Session(p.tlsPort!);
        try {
          const names = await Promise.all(Array.from({ length: 20 }, () => h2Request(s, "/api/who")));
          expect(new Set(names.map((r) => json(r.body).name))).toEqual(new Set(["a", "c"]));
          await c.kill();
          const after = await Promise.all(Array.from({ length: 20 }, () => h2Request(s, "/api/who")));
          expect(after.map((r) => r.status)).toEqual(Array(20).fill(200));
          expect(new Set(after.map((r) => json(r.body).name))).toEqual(new Set(["a"]));
        } finally {
          await closeSession(s);
        }
      },
      [a, c],
    );
  });

  test("request bodies with and without Content-Length; the body limit answers 413", async () => {
    await withProxy({ limits: { maxBodyBytes: 100_000 } as never }, async (p) => {
      const s = await h2Session(p.tlsPort!);
      try {
        const body = Buffer.alloc(80_000, 7);
        const sha = new Bun.CryptoHasher("sha256").update(body).digest("hex");
        const sized = json((await h2Request(s, "/api/echo", { method: "POST", body })).body);
        expect(sized).toMatchObject({ bytes: 80_000, sha } as never);
        const unsized = json(
          (await h2Request(s, "/api/echo", { method: "POST", body, noLength: true })).body,
        );
        expect(unsized).toMatchObject({ bytes: 80_000, sha } as never);
        const big = Buffer.alloc(150_000, 1);
        expect((await h2Request(s, "/api/echo", { method: "POST", body: big })).status).toBe(413);
        expect((await h2Request(s, "/api/echo", { method: "POST", body: big, noLength: true })).status).toBe(
          413,
        );
        // The session survives its refused streams.
        expect((await h2Request(s, "/api/who")).status).toBe(200);
      } finally {
        await closeSession(s);
      }
    });
  });

  test("compression and static files", async () => {
    const root = mkdtempSync(join(tmpdir(), "h2-static-"));
    mkdirSync(join(root, "static"));
    writeFileSync(
      join(root, "static", "page.html"),
      `<!doctype html><title>shop</title>${"<p>x</p>".repeat(300)}`,
    );
    await withProxy({ static: { root } as never }, async (p) => {
      const s = await h2Session(p.tlsPort!);
      try {
        const r = await h2Request(s, "/api/big", { headers: { "accept-encoding": "gzip" } });
        expect(r.headers["content-encoding"]).toBe("gzip");
        expect(r.headers.vary).toBe("Accept-Encoding");
        expect(json(gunzipSync(r.body)).name).toBe(json(gunzipSync(r.body)).name);
        expect(JSON.parse(gunzipSync(r.body).toString()).items.length).toBe(400);
        const page = await h2Request(s, "/static/page.html", { headers: { "accept-encoding": "br" } });
        expect(page.status).toBe(200);
        expect(String(page.headers["content-type"])).toContain("text/html");
        expect(page.headers["content-encoding"]).toBe("br");
        expect(brotliDecompressSync(page.body).toString()).toContain("<title>shop</title>");
        const again = await h2Request(s, "/static/page.html", {
          headers: { "if-none-match": String(page.headers.etag), "accept-encoding": "br" },
        });
        expect(again.status).toBe(304);
        expect(again.body.length).toBe(0);
        expect((await h2Request(s, "/static/../../etc/passwd")).status).toBe(404);
      } finally {
        await closeSession(s);
      }
    });
  });

  test("rate limits and the access log apply per stream", async () => {
    const zones = [{ name: "auth", prefix: "/api/auth/", rate: 0.001, burst: 2, byIp: true }];
    await withProxy(
      { rateLimit: { enabled: true, zones, redisUrl: undefined } as never, accessLog: true },
      async (p) => {
        const logged: { path: string; status: number; requestId: string }[] = [];
        const log = p.core.accessLog;
        log.log = (entry) => {
          logged.push(entry);
        };
        const s = await h2Session(p.tlsPort!);
        try {
          const statuses = [];
          for (let i = 0; i < 3; i++) statuses.push((await h2Request(s, "/api/auth/login")).status);
          expect(statuses).toEqual([200, 200, 429]);
          expect(logged.map((l) => [l.path, l.status])).toEqual([
            ["/api/auth/login", 200],
            ["/api/auth/login", 200],
            ["/api/auth/login", 429],
          ]);
          expect(logged[0]!.requestId).toMatch(/^[0-9a-f]{32}$/);
        } finally {
          await closeSession(s);
        }
      },
    );
  });

  test("stream limits are advertised; heads over the limits are refused, other clients served", async () => {
    await withProxy({ h2: { maxStreams: 7, maxHeaderListBytes: 24_000 } as never }, async (p) => {
      const s = await h2Session(p.tlsPort!);
      try {
        await h2Request(s, "/api/who");
        expect(s.remoteSettings.maxConcurrentStreams).toBe(7);
        expect(s.remoteSettings.maxHeaderListSize).toBe(24_000);
        // Within the list size but over the HTTP/1 head limit (16 KiB): 431, the session goes on.
        const over = await h2Request(s, "/api/who", { headers: { "x-big": "y".repeat(20_000) } });
        expect(over.status).toBe(431);
        // Streams beyond the concurrency limit wait at the client and complete.
        const many = await Promise.all(Array.from({ length: 30 }, () => h2Request(s, "/api/who")));
        expect(many.every((r) => r.status === 200)).toBe(true);
        // Over the list size: the parser drops the session (never a 200).
        const huge = await h2Request(s, "/api/who", { headers: { "x-big": "y".repeat(30_000) } }).then(
          (r) => r.status,
          () => "refused",
        );
        expect(huge).not.toBe(200);
      } finally {
        s.destroy();
      }
      const other = await h2Session(p.tlsPort!);
      expect((await h2Request(other, "/api/who")).status).toBe(200);
      other.destroy();
    });
  });

  test("h2c with prior knowledge on the plain port when PROXY_H2C is on (and only then)", async () => {
    await withProxy(
      {
        h2: { cleartext: true } as never,
        tls: { certFile: undefined, keyFile: undefined, redirectHttp: false },
      },
      async (p) => {
        const s = connect(`http://127.0.0.1:${p.port}`);
        try {
          const r = await h2Request(s, "/api/who");
          expect(r.status).toBe(200);
          expect(json(r.body).name).toBeDefined();
          // HTTP/1.1 still works on that port.
          expect((await fetch(`http://127.0.0.1:${p.port}/api/who`)).status).toBe(200);
        } finally {
          s.destroy();
        }
      },
    );
    await withProxy({ tls: { certFile: undefined, keyFile: undefined, redirectHttp: false } }, async (p) => {
      const s = connect(`http://127.0.0.1:${p.port}`);
      s.on("error", () => {});
      const r = await h2Request(s, "/api/who").then(
        (x) => x.status,
        () => "refused",
      );
      expect(r).not.toBe(200);
      s.destroy();
    });
  });

  test("drain: a stream in flight finishes, then the proxy stops", async () => {
    const p = await startTestProxy(testConfig([a], { tls }));
    const s = await h2Session(p.tlsPort!);
    const slow = h2Request(s, "/api/slow?ms=400");
    await Bun.sleep(100);
    const stopped = p.stop(5000);
    const r = await slow;
    expect(r.status).toBe(200);
    expect(json(r.body).slow).toBe(true as never);
    await stopped;
    s.destroy();
  });
});
