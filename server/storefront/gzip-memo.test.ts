import { expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { acceptsGzip, GzipMemo } from "./gzip-memo.ts";

test("compresses once per document, returns the same bytes after, forgets what was not used recently", () => {
  const memo = new GzipMemo(4);
  const a = memo.get("<p>a</p>".repeat(100));
  expect(gunzipSync(new Uint8Array(a)).toString()).toBe("<p>a</p>".repeat(100));
  expect(memo.get("<p>a</p>".repeat(100))).toBe(a); // the very same buffer: not compressed again
  memo.get("b");
  memo.get("<p>a</p>".repeat(100)); // a is now the most recent
  memo.get("c"); // evicts b
  expect(memo.size).toBe(2);
  expect(memo.get("<p>a</p>".repeat(100))).toBe(a);
});

test("Accept-Encoding: gzip unless refused with q=0", () => {
  expect(acceptsGzip("gzip, deflate, br")).toBe(true);
  expect(acceptsGzip("br;q=1.0, gzip;q=0.8")).toBe(true);
  expect(acceptsGzip("gzip;q=0")).toBe(false);
  expect(acceptsGzip("identity")).toBe(false);
  expect(acceptsGzip("*")).toBe(true);
  expect(acceptsGzip(undefined)).toBe(false);
});
