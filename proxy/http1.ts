/**
 * Strict HTTP/1.1 message-head parsing (RFC 9112). The proxy forwards body bytes
 * untouched, so every framing ambiguity a backend might read differently
 * (request smuggling) is rejected here instead of being passed on.
 */

/** Body framing of a message. */
export type Framing =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** Request headers the proxy itself reads (lower-case names; repeated X-Forwarded-For values joined). */
export interface RequestFields {
  "x-request-id"?: string;
  "x-forwarded-for"?: string;
  "accept-encoding"?: string;
  authorization?: string;
  upgrade?: string;
  range?: string;
  "if-none-match"?: string;
  "if-modified-since"?: string;
  "if-range"?: string;
}

/** A parsed request head and what the proxy derives from it. */
export interface RequestHead {
  method: string;
  target: string;
  /** minor version: 0 or 1 */
  minor: number;
  framing: Framing;
  host: string;
  /** Connection header tokens, lower-cased */
  connection: string[];
  keepAlive: boolean;
  upgrade: boolean;
  expectContinue: boolean;
  /**
   * Header lines (CRLF-terminated, as received) to pass upstream: hop-by-hop
   * headers, those named in Connection, framing and the forwarding headers the
   * proxy sets itself are left out. Built while parsing, so the hot path never
   * materialises a header list.
   */
  forward: string;
  fields: RequestFields;
}

/** A parsed upstream response head. */
export interface ResponseHead {
  status: number;
  reason: string;
  minor: number;
  connection: string[];
  keepAlive: boolean;
  /**
   * Header lines to pass to the client: without hop-by-hop headers, `Server`,
   * the security headers the proxy sets, `X-Request-Id`, and without
   * Content-Length/ETag/Vary, which the engine re-adds (or rewrites when compressing).
   */
  forward: string;
  contentLength: string | undefined;
  clCount: number;
  transferEncoding: string | undefined;
  teCount: number;
  etag: string | undefined;
  vary: string | undefined;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  contentRange: string | undefined;
  cacheControl: string | undefined;
  upgrade: string | undefined;
}

/** Shared framing values (never mutated): no allocation per message for the common cases. */
export const NO_BODY: Framing = Object.freeze({ kind: "none" });
const CHUNKED: Framing = Object.freeze({ kind: "chunked" });
const CLOSE: Framing = Object.freeze({ kind: "close" });

/** A request the proxy refuses to interpret; `status` is what the client gets. */
export class HttpParseError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpParseError";
  }
}

const digitsRe = /^\d{1,15}$/;
// One native scan of the whole head for what splits lines differently in different parsers:
// CTLs other than HTAB, CR not followed by LF, LF not preceded by CR.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const badCharsRe = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;

// tchar (RFC 9110 §5.6.2) as a lookup table: header names and methods are checked per char.
const tchar = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  tchar[c.charCodeAt(0)] = 1;

const CRLFCRLF = Buffer.from("\r\n\r\n", "latin1");

/** Index just past the blank line that ends a head, or -1 when it has not arrived yet. */
export function headEnd(buf: Uint8Array, from = 0): number {
  // A Buffer needle is about twice as fast as a string one.
  const i = Buffer.prototype.indexOf.call(buf, CRLFCRLF, Math.max(0, from - 3));
  return i < 0 ? -1 : i + 4;
}

function isToken(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || tchar[c] === 0) return false;
  }
  return true;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) never forwarded in either direction. */
export const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "proxy-authenticate",
  "proxy-authorization",
]);

// Request headers the proxy replaces or consumes instead of passing on.
const requestOwn = new Set([
  ...hopByHop,
  "content-length",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-real-ip",
  "x-request-id",
  "expect",
  "host",
]);
const requestFieldNames = new Set<string>([
  "x-request-id",
  "accept-encoding",
  "authorization",
  "upgrade",
  "range",
  "if-none-match",
  "if-modified-since",
  "if-range",
]);

// Response headers the engine sets itself or re-adds.
const responseOwn = new Set([
  ...hopByHop,
  "server",
  "x-request-id",
  "content-length",
  "etag",
  "vary",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
  "content-security-policy",
  "permissions-policy",
  "strict-transport-security",
]);

/**
 * Walks the header lines of `text` from `pos`, calling `each(lower, colon,
 * lineStart, lineEnd)` per line (`fieldValue` extracts the value, only where needed). Throws on obs-fold and bad names; the caller
 * has already rejected control characters and bare CR/LF for the whole head.
 */
function eachHeader(
  text: string,
  pos: number,
  status: number,
  each: (lower: string, colon: number, start: number, end: number) => void,
): void {
  const n = text.length;
  while (pos < n) {
    let eol = text.indexOf("\r\n", pos);
    if (eol < 0) eol = n;
    const c0 = text.charCodeAt(pos);
    if (c0 === 0x20 || c0 === 0x09) throw new HttpParseError(status, "obsolete line folding");
    const colon = text.indexOf(":", pos);
    if (colon < 0 || colon >= eol || !isToken(text, pos, colon))
      throw new HttpParseError(status, "invalid header line");
    each(text.slice(pos, colon).toLowerCase(), colon, pos, eol);
    pos = eol + 2;
  }
}

function fieldValue(text: string, colon: number, eol: number): string {
  return text.slice(colon + 1, eol).trim();
}

/** Connection tokens other than keep-alive/close/upgrade (headers to drop), or null when there are none. */
function namedInConnection(connection: string[]): string[] | null {
  let out: string[] | null = null;
  for (const t of connection)
    if (t !== "keep-alive" && t !== "close" && t !== "upgrade") {
      if (!out) out = [];
      out.push(t);
    }
  return out;
}

function tokens(value: string, into: string[]): void {
  for (const t of value.split(",")) {
    const v = t.trim().toLowerCase();
    if (v) into.push(v);
  }
}

function startLine(text: string, status: number): number {
  if (badCharsRe.test(text)) throw new HttpParseError(status, "bare CR or LF, or control characters");
  const eol = text.indexOf("\r\n");
  return eol < 0 ? text.length : eol;
}

/** Parses a request head (bytes up to and including the blank line). */
export function parseRequestHead(buf: Uint8Array, end: number): RequestHead {
  const text = Buffer.prototype.latin1Slice.call(buf, 0, end - 4) as string;
  const eol = startLine(text, 400);
  const sp1 = text.indexOf(" ");
  const sp2 = sp1 < 0 ? -1 : text.indexOf(" ", sp1 + 1);
  if (sp1 <= 0 || sp2 <= sp1 + 1 || sp2 !== eol - 9 || !isToken(text, 0, sp1))
    throw new HttpParseError(400, "malformed request line");
  const version = text.slice(sp2 + 1, eol);
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0")
    throw new HttpParseError(400, "malformed request line");
  const minor = version === "HTTP/1.1" ? 1 : 0;
  const target = text.slice(sp1 + 1, sp2);
  if (target.includes("\t")) throw new HttpParseError(400, "malformed request line");

  let host: string | undefined;
  let hosts = 0;
  let te: string | undefined;
  let teCount = 0;
  let cl: string | undefined;
  let clCount = 0;
  let expect: string | undefined;
  let forward = "";
  const connection: string[] = [];
  const fields: RequestFields = {};
  eachHeader(text, eol + 2, 400, (lower, colon, start, lineEnd) => {
    const own = requestOwn.has(lower);
    if (!own) {
      forward += `${text.slice(start, lineEnd)}\r\n`;
      if (!requestFieldNames.has(lower)) return;
    }
    // Past here: a header the proxy consumes, or one it reads and passes on (Accept-Encoding, Range, ...).
    const value = fieldValue(text, colon, lineEnd);
    if (!own) {
      if (fields[lower as keyof RequestFields] === undefined) fields[lower as keyof RequestFields] = value;
      return;
    }
    if (lower === "host") {
      host = value;
      hosts++;
    } else if (lower === "transfer-encoding") {
      te = value;
      teCount++;
    } else if (lower === "content-length") {
      cl = value;
      clCount++;
    } else if (lower === "connection") tokens(value, connection);
    else if (lower === "expect") expect = value.toLowerCase();
    else if (lower === "x-forwarded-for") {
      const prev = fields["x-forwarded-for"];
      fields["x-forwarded-for"] = prev ? `${prev}, ${value}` : value;
    }
    if (requestFieldNames.has(lower) && fields[lower as keyof RequestFields] === undefined)
      fields[lower as keyof RequestFields] = value;
  });
  if (hosts > 1 || (minor === 1 && hosts === 0))
    throw new HttpParseError(400, "exactly one Host header required");
  const framing = bodyFraming(te, teCount, cl, clCount, true);
  if (framing.kind === "chunked" && minor === 0) throw new HttpParseError(400, "chunked request in HTTP/1.0");
  if (expect !== undefined && expect !== "100-continue")
    throw new HttpParseError(417, "unsupported expectation");
  // Headers named in Connection are hop-by-hop too (rare: rebuild the forwarded lines without them).
  const extra = namedInConnection(connection);
  if (extra) {
    forward = "";
    eachHeader(text, eol + 2, 400, (lower, _v, start, lineEnd) => {
      if (!requestOwn.has(lower) && !extra.includes(lower)) forward += `${text.slice(start, lineEnd)}\r\n`;
    });
  }
  if (host !== undefined) forward = `Host: ${host}\r\n${forward}`;
  return {
    method: text.slice(0, sp1),
    target,
    minor,
    framing,
    host: host ?? "",
    connection,
    keepAlive: minor === 1 ? !connection.includes("close") : connection.includes("keep-alive"),
    upgrade: fields.upgrade !== undefined && connection.includes("upgrade"),
    expectContinue: expect === "100-continue" && minor === 1,
    forward,
    fields,
  };
}

function bodyFraming(
  te: string | undefined,
  teCount: number,
  cl: string | undefined,
  clCount: number,
  isRequest: boolean,
): Framing {
  if (te !== undefined) {
    if (clCount > 0) throw new HttpParseError(400, "both Content-Length and Transfer-Encoding");
    // Only a lone, final `chunked` is accepted: any other coding list is a smuggling vector.
    if (teCount > 1 || te.toLowerCase() !== "chunked")
      throw new HttpParseError(isRequest ? 501 : 502, "unsupported Transfer-Encoding");
    return CHUNKED;
  }
  if (cl !== undefined) {
    if (clCount > 1 || !digitsRe.test(cl)) throw new HttpParseError(400, "invalid Content-Length");
    const length = Number(cl);
    return length === 0 && isRequest ? NO_BODY : { kind: "length", length };
  }
  return isRequest ? NO_BODY : CLOSE;
}

/** Parses an upstream response head. Framing depends on the request, see `responseFraming`. */
export function parseResponseHead(buf: Uint8Array, end: number): ResponseHead {
  const text = Buffer.prototype.latin1Slice.call(buf, 0, end - 4) as string;
  const eol = startLine(text, 502);
  // "HTTP/1.x NNN[ reason]"
  const c = text.charCodeAt(9);
  if (
    eol < 12 ||
    !text.startsWith("HTTP/1.") ||
    (text.charCodeAt(7) !== 0x31 && text.charCodeAt(7) !== 0x30) ||
    text.charCodeAt(8) !== 0x20 ||
    !(c >= 0x31 && c <= 0x35) ||
    (eol > 12 && text.charCodeAt(12) !== 0x20)
  )
    throw new HttpParseError(502, "malformed status line");
  const status = Number(text.slice(9, 12));
  if (!Number.isInteger(status)) throw new HttpParseError(502, "malformed status line");
  const minor = text.charCodeAt(7) === 0x31 ? 1 : 0;
  const res: ResponseHead = {
    status,
    reason: eol > 13 ? text.slice(13, eol) : "",
    minor,
    connection: [],
    keepAlive: true,
    forward: "",
    contentLength: undefined,
    clCount: 0,
    transferEncoding: undefined,
    teCount: 0,
    etag: undefined,
    vary: undefined,
    contentType: undefined,
    contentEncoding: undefined,
    contentRange: undefined,
    cacheControl: undefined,
    upgrade: undefined,
  };
  let forward = "";
  eachHeader(text, eol + 2, 502, (lower, colon, start, lineEnd) => {
    if (!responseOwn.has(lower)) {
      forward += `${text.slice(start, lineEnd)}\r\n`;
      if (lower === "content-type") res.contentType = fieldValue(text, colon, lineEnd);
      else if (lower === "content-encoding") res.contentEncoding = fieldValue(text, colon, lineEnd);
      else if (lower === "cache-control") res.cacheControl = fieldValue(text, colon, lineEnd);
      else if (lower === "content-range") res.contentRange = fieldValue(text, colon, lineEnd);
      return;
    }
    const value = fieldValue(text, colon, lineEnd);
    switch (lower) {
      case "content-length":
        res.contentLength = value;
        res.clCount++;
        break;
      case "transfer-encoding":
        res.transferEncoding = value;
        res.teCount++;
        break;
      case "connection":
        tokens(value, res.connection);
        break;
      case "etag":
        res.etag = value;
        break;
      case "vary":
        res.vary = res.vary ? `${res.vary}, ${value}` : value;
        break;
      case "upgrade":
        res.upgrade = value;
        break;
    }
  });
  const extra = namedInConnection(res.connection);
  if (extra) {
    forward = "";
    eachHeader(text, eol + 2, 502, (lower, _v, start, lineEnd) => {
      if (!responseOwn.has(lower) && !extra.includes(lower)) forward += `${text.slice(start, lineEnd)}\r\n`;
    });
  }
  res.forward = forward;
  res.keepAlive = minor === 1 ? !res.connection.includes("close") : res.connection.includes("keep-alive");
  return res;
}

/** How the body of a response to `method` with this head is delimited (RFC 9112 §6.3). */
export function responseFraming(head: ResponseHead, method: string): Framing {
  if (method === "HEAD" || head.status < 200 || head.status === 204 || head.status === 304) return NO_BODY;
  try {
    return bodyFraming(head.transferEncoding, head.teCount, head.contentLength, head.clCount, false);
  } catch (err) {
    if (err instanceof HttpParseError) throw new HttpParseError(502, `upstream: ${err.message}`);
    throw err;
  }
}

enum CS {
  Size,
  SizeLws,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  TrailerLf,
  EndLf,
  Done,
}

/**
 * Incremental validator/decoder of a chunked body. `feed` returns the index in
 * `buf` just past the end of the body, or -1 when more bytes are needed; it
 * calls `onData` with the chunk payloads when decoding is wanted.
 */
export class ChunkedParser {
  private state = CS.Size;
  private size = 0;
  private digits = 0;
  private remaining = 0;
  private trailerBytes = 0;
  /** payload bytes seen so far */
  total = 0;

  constructor(private readonly maxTrailerBytes = 16 * 1024) {}

  get done(): boolean {
    return this.state === CS.Done;
  }

  feed(buf: Uint8Array, start: number, onData?: (data: Uint8Array) => void): number {
    let i = start;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case CS.Size: {
          const c = buf[i]!;
          const d = hexValue(c);
          if (d >= 0) {
            // 15 hex digits is far beyond any sane chunk; more is an overflow attempt.
            if (++this.digits > 15) throw new HttpParseError(400, "chunk size too long");
            this.size = this.size * 16 + d;
            i++;
          } else if (this.digits === 0) {
            throw new HttpParseError(400, "invalid chunk size");
          } else if (c === 0x0d) {
            this.state = CS.SizeLf;
            i++;
          } else if (c === 0x3b) {
            this.state = CS.Ext;
            i++;
          } else if (c === 0x20 || c === 0x09) {
            this.state = CS.SizeLws;
            i++;
          } else throw new HttpParseError(400, "invalid chunk size");
          break;
        }
        case CS.SizeLws: {
          const c = buf[i]!;
          if (c === 0x20 || c === 0x09) i++;
          else if (c === 0x3b) {
            this.state = CS.Ext;
            i++;
          } else if (c === 0x0d) {
            this.state = CS.SizeLf;
            i++;
          } else throw new HttpParseError(400, "invalid chunk size");
          break;
        }
        case CS.Ext: {
          const c = buf[i]!;
          if (c === 0x0d) this.state = CS.SizeLf;
          else if (c === 0x0a || c === 0 || ++this.trailerBytes > this.maxTrailerBytes)
            throw new HttpParseError(400, "invalid chunk extension");
          i++;
          break;
        }
        case CS.SizeLf: {
          if (buf[i] !== 0x0a) throw new HttpParseError(400, "bare CR in chunk size");
          i++;
          if (this.size === 0) {
            this.state = CS.TrailerStart;
          } else {
            this.remaining = this.size;
            this.total += this.size;
            this.state = CS.Data;
          }
          this.size = 0;
          this.digits = 0;
          break;
        }
        case CS.Data: {
          const take = Math.min(this.remaining, n - i);
          if (onData) onData(buf.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = CS.DataCr;
          break;
        }
        case CS.DataCr:
          if (buf[i] !== 0x0d) throw new HttpParseError(400, "missing CRLF after chunk");
          this.state = CS.DataLf;
          i++;
          break;
        case CS.DataLf:
          if (buf[i] !== 0x0a) throw new HttpParseError(400, "missing CRLF after chunk");
          this.state = CS.Size;
          i++;
          break;
        case CS.TrailerStart: {
          const c = buf[i]!;
          if (c === 0x0d) {
            this.state = CS.EndLf;
            i++;
          } else {
            this.state = CS.Trailer;
          }
          break;
        }
        case CS.Trailer: {
          const c = buf[i]!;
          if (++this.trailerBytes > this.maxTrailerBytes) throw new HttpParseError(400, "trailers too large");
          if (c === 0x0d) this.state = CS.TrailerLf;
          else if (c === 0x0a || c === 0) throw new HttpParseError(400, "invalid trailer");
          i++;
          break;
        }
        case CS.TrailerLf:
          if (buf[i] !== 0x0a) throw new HttpParseError(400, "bare CR in trailer");
          this.state = CS.TrailerStart;
          i++;
          break;
        case CS.EndLf:
          if (buf[i] !== 0x0a) throw new HttpParseError(400, "bare CR at end of chunked body");
          this.state = CS.Done;
          return i + 1;
        case CS.Done:
          return i;
      }
    }
    return this.state === CS.Done ? i : -1;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Methods a retry may safely repeat. */
export const idempotentMethods = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);
