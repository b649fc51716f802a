import { expect, test } from "bun:test";
import { fieldsToHttp1Head, finishHead, toHttp1Head } from "./request.ts";
import { responseHeadEnd, toHttp2Headers } from "./response.ts";

const base = { ":method": "GET", ":path": "/api/x?q=1", ":scheme": "https", ":authority": "shop.test" };

test("an HTTP/2 request becomes an HTTP/1.0 head the engine reads", () => {
  const r = toHttp1Head({
    ...base,
    "accept-encoding": "gzip",
    cookie: ["a=1", "b=2"] as never,
    te: "trailers",
  });
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(finishHead(r.head, null).toString()).toBe(
    "GET /api/x?q=1 HTTP/1.0\r\nHost: shop.test\r\naccept-encoding: gzip\r\ncookie: a=1; b=2\r\n\r\n",
  );
  const post = toHttp1Head({ ...base, ":method": "POST", "content-length": "5" });
  expect(post.ok && post.length).toBe(5);
  if (post.ok) expect(finishHead(post.head, 5).toString()).toEndWith("content-length: 5\r\n\r\n");
});

test("malformed requests and injection attempts are refused", () => {
  const bad = (h: Record<string, string>) => toHttp1Head({ ...base, ...h });
  expect(bad({ "x-a": "1\r\nx-injected: 1" }).ok).toBe(false);
  expect(bad({ ":path": "/a b" }).ok).toBe(false);
  expect(bad({ ":path": "*" }).ok).toBe(false);
  expect(bad({ ":method": "CONNECT" }).ok).toBe(false);
  expect(bad({ ":authority": "a\r\nb" }).ok).toBe(false);
  expect(bad({ "content-length": "1, 2" }).ok).toBe(false);
  expect(bad({ "Bad Name": "x" }).ok).toBe(false);
  // Connection-specific fields never reach the HTTP/1 head.
  const r = bad({ connection: "close", "transfer-encoding": "chunked", upgrade: "h2c", host: "evil" });
  expect(r.ok && r.head.toString()).toBe("GET /api/x?q=1 HTTP/1.0\r\nHost: shop.test\r\n");
});

test("a decoded list converts in one pass, with the same rules as node:http2's object", () => {
  const list = (...more: [string, string][]): [string, string][] => [
    [":method", "GET"],
    [":scheme", "https"],
    [":path", "/p"],
    ...more,
  ];
  const r = fieldsToHttp1Head(
    list(
      [":authority", "shop.test"],
      ["cookie", "a=1"],
      ["accept", "x"],
      ["cookie", "b=2"],
      ["host", "other"],
    ),
  );
  expect(r.ok && r.head).toBe("GET /p HTTP/1.0\r\nHost: shop.test\r\naccept: x\r\ncookie: a=1; b=2\r\n");
  // Host stands for a missing :authority, once.
  expect(fieldsToHttp1Head(list(["host", "h.test"])).ok && "ok").toBe("ok");
  expect(fieldsToHttp1Head(list(["host", "a"], ["host", "b"])).ok).toBe(false);
  // Repeated pseudo-headers or lengths are malformed.
  expect(fieldsToHttp1Head(list([":authority", "a"], [":path", "/q"])).ok).toBe(false);
  expect(fieldsToHttp1Head(list([":authority", "a"], [":authority", "b"])).ok).toBe(false);
  expect(
    fieldsToHttp1Head(list([":authority", "a"], ["content-length", "1"], ["content-length", "1"])).ok,
  ).toBe(false);
  expect(fieldsToHttp1Head(list([":authority", "a"], ["cookie", "x\ny"])).ok).toBe(false);
  expect(fieldsToHttp1Head(list([":authority", "a"], ["Upper", "y"])).ok).toBe(false);
});

test("the engine's HTTP/1 response head read back as an HTTP/2 header list", () => {
  const head = Buffer.from(
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nX-Request-Id: abc\r\n\r\nbody",
  );
  const end = responseHeadEnd(head);
  expect(head.subarray(end).toString()).toBe("body");
  expect(toHttp2Headers(head, end)).toEqual({
    ":status": 200,
    "content-type": "text/plain",
    "set-cookie": ["a=1", "b=2"],
    "x-request-id": "abc",
  });
  expect(responseHeadEnd(Buffer.from("HTTP/1.1 200 OK\r\n"))).toBe(-1);
});
