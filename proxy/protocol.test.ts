import { afterAll, describe, expect, test } from "bun:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  killAll,
  rawExchange,
  rawGet,
  spawnUpstream,
  startTestProxy,
  type TestUpstream,
  testConfig,
  waitFor,
} from "./testing/helpers.ts";

/** Protocol details of forwarding (limits, framing, pipelining, Expect, compression, WebSocket), against real upstream processes. */
afterAll(killAll);

const hits = async (u: TestUpstream) =>
  (await (await fetch(`http://127.0.0.1:${u.port}/api/hits`)).json()) as { hits: number; slowSeen: number };

describe("protocol", () => {
  test("413 on a declared or streamed body over the limit", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up], { limits: { maxBodyBytes: 1000 } }));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const r = await fetch(`${base}/api/echo`, { method: "POST", body: "x".repeat(5000) });
      expect(r.status).toBe(413);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect(((await r.json()) as { status: number }).status).toBe(413);
      const chunked = await rawExchange(
        p.port,
        `POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n${"y".repeat(2048)}\r\n`,
      );
      expect(chunked.startsWith("HTTP/1.1 413")).toBe(true);
      const ok = await fetch(`${base}/api/echo`, { method: "POST", body: "x".repeat(900) });
      expect(((await ok.json()) as { bytes: number }).bytes).toBe(900);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("HEAD, 204, 304 and an empty 303 (Content-Length: 0) keep the connection usable; HTTP/1.0 gets a de-chunked body; client aborts free the upstream", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const seq = await rawExchange(
        p.port,
        "HEAD /api/big HTTP/1.1\r\nHost: x\r\n\r\nGET /api/status/204 HTTP/1.1\r\nHost: x\r\n\r\nGET /api/status/304 HTTP/1.1\r\nHost: x\r\n\r\nGET /api/redirect-empty HTTP/1.1\r\nHost: x\r\n\r\nGET /api/who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      );
      expect([...seq.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1])).toEqual([
        "200",
        "204",
        "304",
        "303",
        "200",
      ]);
      expect(seq).toEndWith('{"name":"a"}');
      const h10 = await rawExchange(p.port, "GET /api/stream HTTP/1.0\r\n\r\n");
      const [headText, body] = h10.split("\r\n\r\n");
      expect(headText).toStartWith("HTTP/1.1 200");
      expect(headText!.toLowerCase()).not.toContain("transfer-encoding");
      expect(body!.split("\n").filter(Boolean)).toHaveLength(5);
      // A request the upstream never answers: only the client's abort can end it.
      const hits = async () =>
        (await (await fetch(`http://127.0.0.1:${up.port}/api/hits`)).json()) as {
          hangSeen: number;
          hangClosed: number;
        };
      const sock = await Bun.connect({ hostname: "127.0.0.1", port: p.port, socket: { data() {} } });
      sock.write("GET /api/hang HTTP/1.1\r\nHost: x\r\n\r\n");
      await waitFor(async () => (await hits()).hangSeen === 1);
      const u = p.core.upstreams[0]!;
      expect(u.active).toBe(1);
      expect(u.open).toBe(p.core.idleSockets(u) + 1);
      sock.end();
      // The proxy closes its upstream connection (the upstream sees the abort) and frees the slot.
      await waitFor(async () => (await hits()).hangClosed === 1);
      // No socket is left busy: every open one is idle in the pool again.
      await waitFor(() => u.active === 0 && u.open === p.core.idleSockets(u));
      expect((await fetch(`http://127.0.0.1:${p.port}/api/who`)).status).toBe(200);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("431 on a request head over the limit", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up], { limits: { maxHeaderBytes: 2048 } }));
    try {
      const big = await rawExchange(
        p.port,
        `GET /api/who HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(4000)}\r\n\r\n`,
      );
      expect(big).toStartWith("HTTP/1.1 431");
      const ok = await rawExchange(p.port, "GET /api/who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      expect(ok).toStartWith("HTTP/1.1 200");
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("streams large bodies both ways intact, chunked and with Content-Length", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const body = new Uint8Array(3 * 1024 * 1024);
      for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 255;
      const sha = new Bun.CryptoHasher("sha256").update(body).digest("hex");
      const r = await fetch(`http://127.0.0.1:${p.port}/api/echo`, { method: "POST", body });
      expect(((await r.json()) as { sha: string }).sha).toBe(sha);
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 6; i++) c.enqueue(body.subarray(i * 500_000, (i + 1) * 500_000));
          c.enqueue(body.subarray(3_000_000));
          c.close();
        },
      });
      const r2 = await fetch(`http://127.0.0.1:${p.port}/api/echo`, { method: "POST", body: stream });
      expect(((await r2.json()) as { sha: string }).sha).toBe(sha);
      const s = await fetch(`http://127.0.0.1:${p.port}/api/stream`);
      expect((await s.text()).split("\n").filter(Boolean)).toHaveLength(5);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("a head and first body bytes larger than the 64 KiB assembly buffer pass intact both ways", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const r = await fetch(`http://127.0.0.1:${p.port}/api/fat`);
      expect(r.status).toBe(200);
      expect(r.headers.get("x-fat")).toBe("h".repeat(30_000));
      expect(await r.text()).toBe("b".repeat(50_000));
      expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
      // Request side: head and body written at once, so the body is joined to the upstream head.
      const body = Buffer.alloc(70_000, 7);
      const sha = new Bun.CryptoHasher("sha256").update(body).digest("hex");
      const echoed = await new Promise<string>((resolve, reject) => {
        let got = "";
        const head = `POST /api/echo HTTP/1.1\r\nHost: x\r\nX-Pad: ${"p".repeat(6000)}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
        Bun.connect({
          hostname: "127.0.0.1",
          port: p.port,
          socket: {
            open(sock) {
              sock.write(Buffer.concat([Buffer.from(head, "latin1"), body]));
            },
            data(_sock, d) {
              got += d.toString("latin1");
            },
            close() {
              resolve(got);
            },
            error(_sock, err) {
              reject(err);
            },
          },
        }).catch(reject);
      });
      expect(echoed.startsWith("HTTP/1.1 200")).toBe(true);
      expect(echoed).toContain(sha);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("sets forwarding headers, hides Server, adds security headers", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const r = await fetch(`http://127.0.0.1:${p.port}/api/headers`, {
        headers: {
          "x-forwarded-for": "10.0.0.1",
          "x-request-id": "abc-123",
          connection: "keep-alive, x-secret",
          "x-secret": "1",
        },
      });
      const seen = (await r.json()) as Record<string, string>;
      expect(seen["x-forwarded-for"]).toBe("10.0.0.1, 127.0.0.1");
      expect(seen["x-forwarded-proto"]).toBe("http");
      expect(seen["x-forwarded-host"]).toBe(`127.0.0.1:${p.port}`);
      expect(seen["x-request-id"]).toBe("abc-123");
      expect(seen["x-secret"]).toBeUndefined();
      expect(r.headers.get("x-request-id")).toBe("abc-123");
      expect(r.headers.get("server")).toBeNull();
      for (const h of [
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-security-policy",
        "permissions-policy",
      ])
        expect(r.headers.get(h)).toBeTruthy();
      expect(r.headers.get("strict-transport-security")).toBeNull();
      // Made by the proxy when the client sent none (or an invalid one): 32 hex digits,
      // one per request, the same upstream and back.
      const ids = new Set<string>();
      for (const sent of [undefined, undefined, "bad id with spaces"]) {
        const g = await fetch(`http://127.0.0.1:${p.port}/api/headers`, {
          headers: sent ? { "x-request-id": sent } : {},
        });
        const upstreamSaw = ((await g.json()) as Record<string, string>)["x-request-id"];
        const id = g.headers.get("x-request-id") ?? "";
        expect(id).toMatch(/^[0-9a-f]{32}$/);
        expect(upstreamSaw).toBe(id);
        ids.add(id);
      }
      expect(ids.size).toBe(3);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("rejects smuggling attempts on the wire and serves pipelined requests in order", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const smuggle = await rawExchange(
        p.port,
        "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/who HTTP/1.1\r\nHost: x\r\n\r\n",
      );
      expect(smuggle.startsWith("HTTP/1.1 400")).toBe(true);
      expect(smuggle.match(/HTTP\/1\.1 /g)).toHaveLength(1);
      const piped = await rawExchange(
        p.port,
        "GET /api/who HTTP/1.1\r\nHost: x\r\n\r\nPOST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /api/status/204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      );
      const statuses = [...piped.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
      expect(statuses).toEqual(["200", "200", "204"]);
      expect(piped).toContain('"bytes":3');
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("Expect: 100-continue gets 100 before the body is sent", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const chunks: string[] = [];
      const sock = await Bun.connect({
        hostname: "127.0.0.1",
        port: p.port,
        socket: {
          data(s, d) {
            const t = Buffer.from(d).toString();
            chunks.push(t);
            if (t.startsWith("HTTP/1.1 100")) s.write("hello");
          },
        },
      });
      sock.write("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      await waitFor(() => chunks.join("").includes('"bytes":5'));
      expect(chunks.join("")).toStartWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200");
      sock.end();
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("Expect: 100-continue with a declared length over the limit gets 413, no 100, and the body is never read", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up], { limits: { maxBodyBytes: 1000 } }));
    try {
      const before = (await hits(up)).hits;
      const reply = await rawExchange(
        p.port,
        "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n",
      );
      expect(reply).toStartWith("HTTP/1.1 413");
      expect(reply).not.toContain("100 Continue");
      expect(reply).toContain("application/problem+json");
      // Answered without waiting for the body, and the connection is closed (the body may follow).
      expect(reply.toLowerCase()).toContain("connection: close");
      expect((await hits(up)).hits).toBe(before + 1); // only the hits request itself
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("a compressed response carries the upstream's ETag weakened; an uncompressed one keeps it strong", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const gz = await rawGet(`${base}/api/etag`, { "accept-encoding": "gzip" });
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(gz.headers.etag).toBe('W/"v1-abc"');
      expect(gz.headers.vary).toContain("Accept-Encoding");
      const br = await rawGet(`${base}/api/etag`, { "accept-encoding": "br" });
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.headers.etag).toBe('W/"v1-abc"');
      const plain = await rawGet(`${base}/api/etag`);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.etag).toBe('"v1-abc"');
      expect(JSON.parse(gunzipSync(gz.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("gzip and brotli round-trip; upstream encodings and no-transform pass through intact", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const base = `http://127.0.0.1:${p.port}`;
      const plain = await rawGet(`${base}/api/big`);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      const gz = await rawGet(`${base}/api/big`, { "accept-encoding": "gzip" });
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(gz.headers.vary).toContain("Accept-Encoding");
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      expect(gz.body.length).toBeLessThan(plain.body.length / 3);
      const br = await rawGet(`${base}/api/big`, { "accept-encoding": "gzip, br" });
      expect(br.headers["content-encoding"]).toBe("br");
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      const streamed = await rawGet(`${base}/api/stream`, { "accept-encoding": "gzip" });
      expect(streamed.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(streamed.body).toString().split("\n").filter(Boolean)).toHaveLength(5);
      const small = await rawGet(`${base}/api/who`, { "accept-encoding": "gzip" });
      expect(small.headers["content-encoding"]).toBeUndefined();
      const pre = await rawGet(`${base}/api/pregz`, { "accept-encoding": "gzip, br" });
      expect(pre.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(pre.body).equals(plain.body)).toBe(true);
      const nt = await rawGet(`${base}/api/notransform`, { "accept-encoding": "gzip" });
      expect(nt.headers["content-encoding"]).toBeUndefined();
      expect(nt.body.equals(plain.body)).toBe(true);
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("WebSocket echo through the proxy", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${p.port}/api/ws`);
      const got: string[] = [];
      ws.onmessage = (e) => got.push(String(e.data));
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error("ws error"));
      });
      ws.send("hello");
      ws.send("x".repeat(100_000));
      await waitFor(() => got.length === 2);
      expect(got[0]).toBe("a:hello");
      expect(got[1]).toBe(`a:${"x".repeat(100_000)}`);
      ws.close();
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });
});
