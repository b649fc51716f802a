import { describe, expect, test } from "bun:test";
import { ChunkedParser, HttpParseError, headEnd, parseRequestHead } from "./http1.ts";

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
