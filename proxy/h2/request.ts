import type { IncomingHttpHeaders } from "node:http2";

/**
 * An HTTP/2 request's header list written as the HTTP/1 request head the
 * engine reads, so every behaviour of the proxy (limits, routing, rate limits,
 * headers, static files, the access log) applies to a stream exactly as to an
 * HTTP/1.1 request. The head says HTTP/1.0: the engine then answers with a
 * body that is neither chunked nor kept alive, ended by closing the stream's
 * socket, which is how a stream ends.
 */

/** A head (its text, without the framing), or why the request is malformed (answered 400 on the stream). */
export type H2Head = { ok: true; head: string; length: number | null } | { ok: false; reason: string };

// RFC 9113 §8.2.2: connection-specific fields are malformed in HTTP/2; `te` may only be "trailers".
// `host`, `content-length` and `cookie` are written by the conversion itself.
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
/** Names already checked against NAME (a client repeats the same few); cleared when it grows. */
const goodNames = new Set<string>();

/**
 * Builds the HTTP/1 head for a decoded header list, in one pass over it (no
 * object of the fields is made). A pseudo-header, `host` (when it stands for
 * `:authority`) or `content-length` given twice is malformed; cookies given
 * as several fields are joined into one line (RFC 9113 §8.2.3).
 */
export function fieldsToHttp1Head(fields: readonly (readonly [string, string])[]): H2Head {
  let method: string | undefined;
  let path: string | undefined;
  let authority: string | undefined;
  let host: string | undefined;
  let hosts = 0;
  let declared: string | undefined;
  let cookie: string | undefined;
  let lines = "";
  for (const [name, v] of fields) {
    if (name.charCodeAt(0) === 0x3a) {
      if (name === ":method") {
        if (method !== undefined) return { ok: false, reason: "bad :method" };
        method = v;
      } else if (name === ":path") {
        if (path !== undefined) return { ok: false, reason: "bad :path" };
        path = v;
      } else if (name === ":authority") {
        if (authority !== undefined) return { ok: false, reason: "bad :authority" };
        authority = v;
      }
      continue;
    }
    if (dropped.has(name)) {
      if (name === "host") {
        host = v;
        hosts++;
      } else if (name === "content-length") {
        if (declared !== undefined) return { ok: false, reason: "bad content-length" };
        declared = v;
      } else if (name === "cookie") cookie = cookie === undefined ? v : `${cookie}; ${v}`;
      continue;
    }
    if (!goodNames.has(name)) {
      if (!NAME.test(name)) return { ok: false, reason: "bad header name" };
      if (goodNames.size >= 512) goodNames.clear();
      goodNames.add(name);
    }
    if (BAD_VALUE.test(v)) return { ok: false, reason: "bad header value" };
    lines += `${name}: ${v}\r\n`;
  }
  if (authority === undefined && hosts === 1) authority = host;
  if (method === undefined || !METHOD.test(method)) return { ok: false, reason: "bad :method" };
  if (method === "CONNECT") return { ok: false, reason: "CONNECT is not supported" };
  if (path === undefined || !TARGET.test(path)) return { ok: false, reason: "bad :path" };
  if (authority === undefined || !AUTHORITY.test(authority)) return { ok: false, reason: "bad :authority" };
  let length: number | null = null;
  if (declared !== undefined) {
    if (!/^\d{1,15}$/.test(declared)) return { ok: false, reason: "bad content-length" };
    length = Number(declared);
  }
  if (cookie !== undefined) {
    if (BAD_VALUE.test(cookie)) return { ok: false, reason: "bad header value" };
    lines += `cookie: ${cookie}\r\n`;
  }
  return { ok: true, head: `${method} ${path} HTTP/1.0\r\nHost: ${authority}\r\n${lines}`, length };
}

/** The same for node:http2's decoded headers (repeated names as arrays). */
export function toHttp1Head(headers: IncomingHttpHeaders): H2Head {
  const fields: [string, string][] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value === "string") fields.push([name, value]);
    else for (const v of value) fields.push([name, v]);
  }
  return fieldsToHttp1Head(fields);
}

/** The head with the framing for a body of `length` bytes (or none) and the blank line. */
export function finishHead(head: string, length: number | null): Buffer {
  return Buffer.from(length === null ? `${head}\r\n` : `${head}content-length: ${length}\r\n\r\n`, "latin1");
}
