import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { ProxyHandle } from "./server.ts";
import { rawExchange, rawGet, startTestProxy, testConfig } from "./testing/helpers.ts";

/** Static files: conditional requests, ranges, caching headers, compression, traversal. */
let dir: string;
let outside: string;
let p: ProxyHandle;
let base: string;
const css = `body { color: red; }\n${".x { margin: 0 }\n".repeat(200)}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "proxy-static-"));
  outside = mkdtempSync(join(tmpdir(), "proxy-outside-"));
  mkdirSync(join(dir, "static"));
  mkdirSync(join(dir, "media"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>shop</title>");
  writeFileSync(join(dir, "static", "app.0123456789.css"), css);
  writeFileSync(join(dir, "static", "app.0123456789.css.gz"), Bun.gzipSync(Buffer.from(css)));
  writeFileSync(join(dir, "media", "photo.bin"), Buffer.alloc(10_000, 7));
  writeFileSync(join(dir, "media", "big.bin"), Buffer.alloc(3 * 1024 * 1024, 9));
  writeFileSync(join(outside, "secret.txt"), "top secret");
  symlinkSync(join(outside, "secret.txt"), join(dir, "media", "link.txt"));
  p = await startTestProxy(testConfig([{ port: 1 }], { static: { root: dir }, health: { enabled: false } }));
  base = `http://127.0.0.1:${p.port}`;
});

afterAll(async () => {
  await p.stop(1000);
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("static files", () => {
  test("storefront index with validators and no-cache", async () => {
    const r = await fetch(`${base}/index.html`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain("shop");
    expect(r.headers.get("content-type")).toStartWith("text/html");
    expect(r.headers.get("cache-control")).toBe("no-cache");
    expect(r.headers.get("etag")).toBeTruthy();
    expect(r.headers.get("last-modified")).toBeTruthy();
    expect(r.headers.get("x-frame-options")).toBe("DENY");
  });

  test("304 on If-None-Match and If-Modified-Since", async () => {
    const r = await fetch(`${base}/media/photo.bin`);
    await r.arrayBuffer();
    const etag = r.headers.get("etag")!;
    const inm = await fetch(`${base}/media/photo.bin`, { headers: { "if-none-match": etag } });
    expect(inm.status).toBe(304);
    expect((await inm.arrayBuffer()).byteLength).toBe(0);
    const ims = await fetch(`${base}/media/photo.bin`, {
      headers: { "if-modified-since": r.headers.get("last-modified")! },
    });
    expect(ims.status).toBe(304);
    const stale = await fetch(`${base}/media/photo.bin`, { headers: { "if-none-match": '"nope"' } });
    expect(stale.status).toBe(200);
  });

  test("Range gives 206 with Content-Range, also for files streamed from disk", async () => {
    const r = await fetch(`${base}/media/photo.bin`, { headers: { range: "bytes=100-199" } });
    expect(r.status).toBe(206);
    expect(r.headers.get("content-range")).toBe("bytes 100-199/10000");
    expect((await r.arrayBuffer()).byteLength).toBe(100);
    const tail = await fetch(`${base}/media/photo.bin`, { headers: { range: "bytes=-10" } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe("bytes 9990-9999/10000");
    const bad = await fetch(`${base}/media/photo.bin`, { headers: { range: "bytes=20000-" } });
    expect(bad.status).toBe(416);
    const big = await fetch(`${base}/media/big.bin`, { headers: { range: "bytes=1048576-2097151" } });
    expect(big.status).toBe(206);
    const bytes = new Uint8Array(await big.arrayBuffer());
    expect(bytes.length).toBe(1048576);
    expect(bytes.every((b) => b === 9)).toBe(true);
    const whole = await fetch(`${base}/media/big.bin`);
    expect((await whole.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024);
  });

  test("If-Range: the range is served only while the validator still matches, else the whole file", async () => {
    const first = await fetch(`${base}/media/photo.bin`);
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    const range = { range: "bytes=0-9" };
    const sameTag = await fetch(`${base}/media/photo.bin`, { headers: { ...range, "if-range": etag } });
    expect(sameTag.status).toBe(206);
    expect((await sameTag.arrayBuffer()).byteLength).toBe(10);
    const sameDate = await fetch(`${base}/media/photo.bin`, {
      headers: { ...range, "if-range": lastModified },
    });
    expect(sameDate.status).toBe(206);
    await sameDate.arrayBuffer();
    // A validator of another version: the client's partial copy is stale, so it gets the full file.
    const otherTag = await fetch(`${base}/media/photo.bin`, { headers: { ...range, "if-range": '"other"' } });
    expect(otherTag.status).toBe(200);
    expect(otherTag.headers.get("content-range")).toBeNull();
    expect((await otherTag.arrayBuffer()).byteLength).toBe(10_000);
    const oldDate = await fetch(`${base}/media/photo.bin`, {
      headers: { ...range, "if-range": new Date(0).toUTCString() },
    });
    expect(oldDate.status).toBe(200);
    expect((await oldDate.arrayBuffer()).byteLength).toBe(10_000);
  });

  test("fingerprinted assets are immutable; precompressed siblings are served", async () => {
    const r = await rawGet(`${base}/static/app.0123456789.css`, { "accept-encoding": "gzip" });
    expect(r.status).toBe(200);
    expect(r.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(r.headers.vary).toBe("Accept-Encoding");
    expect(gunzipSync(r.body).toString()).toBe(css);
    const br = await rawGet(`${base}/static/app.0123456789.css`, { "accept-encoding": "br" });
    expect(br.headers["content-encoding"]).toBe("br");
    const plain = await rawGet(`${base}/static/app.0123456789.css`);
    expect(plain.body.toString()).toBe(css);
    expect(plain.headers["content-encoding"]).toBeUndefined();
  });

  test("path traversal in any spelling, dotfiles and symlinks out of the root are 404", async () => {
    const attempts = [
      "/../../../etc/passwd",
      "/static/../../etc/passwd",
      "/static/%2e%2e/%2e%2e/etc/passwd",
      "/static/%2E%2E%2Fetc%2Fpasswd",
      "/static/..%2f..%2fetc%2fpasswd",
      "/static/%252e%252e/etc/passwd",
      "/static/..%5c..%5cetc%5cpasswd",
      "/media/link.txt",
      "/.env",
      "/static/%00.css",
    ];
    for (const path of attempts) {
      const raw = await rawExchange(p.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(`${path} ${raw.slice(0, 12)}`).toBe(`${path} HTTP/1.1 404`);
      expect(raw).not.toContain("secret");
      expect(raw).not.toContain("root:");
    }
  });

  test("only GET and HEAD", async () => {
    const r = await fetch(`${base}/index.html`, { method: "POST", body: "x" });
    expect(r.status).toBe(405);
    const h = await fetch(`${base}/index.html`, { method: "HEAD" });
    expect(h.status).toBe(200);
    expect(h.headers.get("content-length")).toBe("34");
  });
});
