import { describe, expect, test } from "bun:test";
import { RequestIds, validRequestId } from "./headers.ts";
import {
  ChunkedParser,
  HttpParseError,
  headEnd,
  parseRequestHead,
  parseResponseHead,
  responseFraming,
} from "./http1.ts";

const req = (text: string) => {
  const buf = Buffer.from(text, "latin1");
  const end = headEnd(buf);
  if (end < 0) throw new Error("incomplete head");
  return parseRequestHead(buf, end);
};
const status = (text: string): number => {
  try {
    req(text);
    return 0;
  } catch (err) {
    if (err instanceof HttpParseError) return err.status;
    throw err;
  }
};

describe("request head parsing (smuggling defenses)", () => {
  test("accepts a plain request and reads framing", () => {
    const h = req("POST /api/x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
    expect(h.method).toBe("POST");
    expect(h.framing).toEqual({ kind: "length", length: 5 });
    expect(h.keepAlive).toBe(true);
  });
  test("rejects Content-Length together with Transfer-Encoding", () => {
    expect(
      status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
    ).toBe(400);
  });
  test("rejects duplicate or invalid Content-Length", () => {
    expect(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")).toBe(400);
    expect(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n")).toBe(400);
    expect(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")).toBe(400);
    expect(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n")).toBe(400);
  });
  test("accepts only a lone final chunked Transfer-Encoding", () => {
    expect(req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").framing.kind).toBe(
      "chunked",
    );
    expect(status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")).toBe(501);
    expect(
      status(
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
      ),
    ).toBe(501);
    expect(status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n")).toBe(501);
  });
  test("rejects obsolete line folding, bare LF/CR and bad names", () => {
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n")).toBe(400);
    expect(status("GET / HTTP/1.1\r\nHost: a\nX-A: 1\r\n\r\n")).toBe(400);
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r2\r\n\r\n")).toBe(400);
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nX A: 1\r\n\r\n")).toBe(400);
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n")).toBe(400);
  });
  test("requires exactly one Host on HTTP/1.1 and a sane request line", () => {
    expect(status("GET / HTTP/1.1\r\n\r\n")).toBe(400);
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).toBe(400);
    expect(status("GET  / HTTP/1.1\r\nHost: a\r\n\r\n")).toBe(400);
    expect(status("GET / HTTP/2.0\r\nHost: a\r\n\r\n")).toBe(400);
  });
  test("HTTP/1.0 is close by default and cannot send chunked", () => {
    expect(req("GET / HTTP/1.0\r\n\r\n").keepAlive).toBe(false);
    expect(req("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive).toBe(true);
    expect(status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")).toBe(400);
  });
});

/** The forwarded header lines of a head, as text. */
const forwarded = (buf: Buffer, ranges: number[]): string => {
  let out = "";
  for (let k = 0; k < ranges.length; k += 2) out += buf.latin1Slice(ranges[k]!, ranges[k + 1]!);
  return out;
};

describe("request head: what is passed upstream", () => {
  test("forwards other lines as received and reads its own fields lazily", () => {
    const h = req(
      "GET /api/x?q=1 HTTP/1.1\r\nHost: shop.test\r\nUser-Agent: t/1\r\nConnection: keep-alive, X-Secret\r\n" +
        "X-Secret: s\r\nKeep-Alive: 5\r\nX-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\n" +
        "X-Request-Id: abc\r\nAccept-Encoding: gzip\r\nTE: trailers\r\nContent-Length: 0\r\nCookie: a=b\r\n\r\n",
    );
    expect(forwarded(h.buf, h.forward)).toBe(
      "Host: shop.test\r\nUser-Agent: t/1\r\nAccept-Encoding: gzip\r\nCookie: a=b\r\n",
    );
    expect(h.method).toBe("GET");
    expect(h.target).toBe("/api/x?q=1");
    expect(h.path).toBe("/api/x");
    expect(h.host).toBe("shop.test");
    expect(h.field("x-forwarded-for")).toBe("10.0.0.1, 10.0.0.2");
    expect(h.field("x-request-id")).toBe("abc");
    expect(h.field("accept-encoding")).toBe("gzip");
    expect(h.field("authorization")).toBeUndefined();
    expect(h.framing).toEqual({ kind: "none" });
    expect(h.targetStartsWith(Buffer.from("/api/"))).toBe(true);
  });
  test("header names match in any case, values are trimmed, unknown methods kept", () => {
    const h = req("PURGE /a HTTP/1.1\r\nhOsT:   a.test  \r\nCONTENT-LENGTH: 12\r\n\r\n");
    expect(h.method).toBe("PURGE");
    expect(h.host).toBe("a.test");
    expect(h.framing).toEqual({ kind: "length", length: 12 });
    expect(forwarded(h.buf, h.forward)).toBe("hOsT:   a.test  \r\n");
  });
  test("rejects control characters in values and targets", () => {
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\x002\r\n\r\n")).toBe(400);
    expect(status("GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n")).toBe(400);
    expect(status("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\x7f\r\n\r\n")).toBe(400);
  });
});

describe("response head", () => {
  const res = (text: string) => {
    const buf = Buffer.from(text, "latin1");
    return parseResponseHead(buf, headEnd(buf));
  };
  test("drops hop-by-hop, Server, security and request-id lines; keeps entity lines unless re-encoded", () => {
    const r = res(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nServer: x\r\nContent-Length: 10\r\n" +
        'ETag: "v1"\r\nVary: Cookie\r\nConnection: keep-alive\r\nX-Frame-Options: SAMEORIGIN\r\n' +
        "X-Request-Id: up\r\nCache-Control: no-transform\r\n\r\n",
    );
    expect(r.status).toBe(200);
    expect(r.contentLength).toBe(10);
    expect(r.etag).toBe('"v1"');
    expect(r.vary).toBe("Cookie");
    expect(r.contentType).toBe("application/json");
    expect(r.cacheControl).toBe("no-transform");
    expect(forwarded(r.buf, r.forward)).toBe(
      'Content-Type: application/json\r\nContent-Length: 10\r\nETag: "v1"\r\nVary: Cookie\r\nCache-Control: no-transform\r\n',
    );
    expect(forwarded(r.buf, r.forwardWithoutEntity())).toBe(
      "Content-Type: application/json\r\nCache-Control: no-transform\r\n",
    );
    expect(responseFraming(r, "GET")).toEqual({ kind: "length", length: 10 });
    expect(responseFraming(r, "HEAD")).toEqual({ kind: "none" });
  });
  test("framing: chunked in any case, close-delimited, and invalid lengths are 502", () => {
    expect(responseFraming(res("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"), "GET").kind).toBe(
      "chunked",
    );
    expect(responseFraming(res("HTTP/1.0 200 OK\r\n\r\n"), "GET").kind).toBe("close");
    expect(res("HTTP/1.0 200 OK\r\n\r\n").keepAlive).toBe(false);
    for (const bad of [
      "Content-Length: 1x",
      "Content-Length: 1\r\nContent-Length: 1",
      "Transfer-Encoding: gzip",
    ]) {
      const r = res(`HTTP/1.1 200 OK\r\n${bad}\r\n\r\n`);
      expect(() => responseFraming(r, "GET")).toThrow(HttpParseError);
    }
    expect(() => res("HTTP/1.1 2000 OK\r\n\r\n")).toThrow(HttpParseError);
    expect(() => res("HTTP/1.1 200 OK\r\nX: a\nb\r\n\r\n")).toThrow(HttpParseError);
  });
});

describe("request ids", () => {
  test("made ids are 32 hex digits, distinct, and written as their text", () => {
    const ids = new RequestIds();
    const out = Buffer.alloc(32);
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const seq = ids.next();
      ids.write(seq, out, 0);
      const text = ids.text(seq);
      expect(out.latin1Slice(0, 32)).toBe(text);
      seen.add(text);
    }
    expect([...seen].every((t) => /^[0-9a-f]{32}$/.test(t))).toBe(true);
    expect(seen.size).toBe(1000);
    // Large counters keep 12 digits.
    ids.write(2 ** 40 + 5, out, 0);
    expect(out.latin1Slice(20, 32)).toBe((2 ** 40 + 5).toString(16).padStart(12, "0"));
  });
  test("client ids are kept only when well-formed", () => {
    const ok = Buffer.from("abc-123.x:y@z/+=");
    expect(validRequestId(ok, 0, ok.length)).toBe(true);
    const bad = Buffer.from("has space");
    expect(validRequestId(bad, 0, bad.length)).toBe(false);
    expect(validRequestId(ok, 0, 0)).toBe(false);
  });
});

describe("chunked body parser", () => {
  const parse = (text: string) => {
    const p = new ChunkedParser();
    const out: string[] = [];
    const end = p.feed(Buffer.from(text, "latin1"), 0, (d) => out.push(Buffer.from(d).toString()));
    return { end, data: out.join("") };
  };
  test("decodes chunks, extensions and trailers and finds the end", () => {
    const body = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\nNEXT";
    const r = parse(body);
    expect(r.data).toBe("hello world");
    expect(r.end).toBe(body.length - 4);
  });
  test("works byte by byte", () => {
    const body = Buffer.from("3\r\nabc\r\n0\r\n\r\n");
    const p = new ChunkedParser();
    let end = -1;
    for (let i = 0; i < body.length; i++) end = p.feed(body.subarray(i, i + 1), 0);
    expect(end).toBe(1);
    expect(p.done).toBe(true);
  });
  test("rejects invalid sizes, overflow and missing CRLF", () => {
    expect(() => parse("zz\r\n")).toThrow(HttpParseError);
    expect(() => parse("-1\r\n")).toThrow(HttpParseError);
    expect(() => parse("1111111111111111f\r\n")).toThrow(HttpParseError);
    expect(() => parse("3\r\nabcX\r\n")).toThrow(HttpParseError);
    expect(() => parse("3\nabc\r\n")).toThrow(HttpParseError);
  });
});
