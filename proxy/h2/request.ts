import type { IncomingHttpHeaders } from "node:http2";

/**
 * An HTTP/2 request's header list written as the HTTP/1 request head the
 * engine reads, so every behaviour of the proxy (limits, routing, rate limits,
 * headers, static files, the access log) applies to a stream exactly as to an
 * HTTP/1.1 request. The head says HTTP/1.0: the engine then answers with a
 * body that is neither chunked nor kept alive, ended by closing the stream's
 * socket, which is how a stream ends.
 */

/** A head, or why the request is malformed (answered 400 on the stream). */
export type H2Head = { ok: true; head: Buffer; length: number | null } | { ok: false; reason: string };

// RFC 9113 §8.2.2: connection-specific fields are malformed in HTTP/2; `te` may only be "trailers".
const dropped = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "host",
  "expect",
  "content-length",
  "cookie",
]);
// Bytes that would end or split a line of the HTTP/1 head: HPACK carries any octet, so
// they are refused here (header injection), whatever the HTTP/2 parser let through.
const BAD_VALUE = /[\0\r\n]/;
const NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const METHOD = /^[A-Z]{1,20}$/;
const TARGET = /^\/[\x21-\x7e]*$/;
const AUTHORITY = /^[\x21-\x7e]{1,255}$/;

/** Builds the HTTP/1 head for `headers` (node:http2's decoded list); `length` is the declared body length. */
export function toHttp1Head(headers: IncomingHttpHeaders): H2Head {
  const method = headers[":method"];
  const path = headers[":path"];
  const authority = headers[":authority"] ?? headers.host;
  if (typeof method !== "string" || !METHOD.test(method)) return { ok: false, reason: "bad :method" };
  if (method === "CONNECT") return { ok: false, reason: "CONNECT is not supported" };
  if (typeof path !== "string" || !TARGET.test(path)) return { ok: false, reason: "bad :path" };
  if (typeof authority !== "string" || !AUTHORITY.test(authority))
    return { ok: false, reason: "bad :authority" };
  let head = `${method} ${path} HTTP/1.0\r\nHost: ${authority}\r\n`;
  let length: number | null = null;
  const declared = headers["content-length"];
  if (declared !== undefined) {
    if (typeof declared !== "string" || !/^\d{1,15}$/.test(declared))
      return { ok: false, reason: "bad content-length" };
    length = Number(declared);
  }
  for (const name in headers) {
    if (name.charCodeAt(0) === 0x3a || dropped.has(name)) continue;
    if (!NAME.test(name)) return { ok: false, reason: "bad header name" };
    const value = headers[name];
    if (value === undefined) continue;
    for (const v of typeof value === "string" ? [value] : value) {
      if (BAD_VALUE.test(v)) return { ok: false, reason: "bad header value" };
      head += `${name}: ${v}\r\n`;
    }
  }
  // HTTP/2 may split cookies into several fields; HTTP/1 wants one (RFC 9113 §8.2.3).
  // Typed as a string, but node:http2 gives an array when the client split the cookies.
  const cookie = headers.cookie as string | string[] | undefined;
  if (cookie !== undefined) {
    const joined = typeof cookie === "string" ? cookie : cookie.join("; ");
    if (BAD_VALUE.test(joined)) return { ok: false, reason: "bad header value" };
    head += `cookie: ${joined}\r\n`;
  }
  return { ok: true, head: Buffer.from(head, "latin1"), length };
}

/** Appends the framing for a body of `length` bytes (or none) and the blank line. */
export function finishHead(head: Buffer, length: number | null): Buffer {
  const tail = length === null ? "\r\n" : `content-length: ${length}\r\n\r\n`;
  return Buffer.concat([head, Buffer.from(tail, "latin1")]);
}
