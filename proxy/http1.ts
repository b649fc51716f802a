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

/** Request headers the proxy itself reads (repeated X-Forwarded-For values joined). */
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

/**
 * A parsed request head. Header lines passed upstream are not copied into
 * strings: `forward` holds `[start, end)` byte ranges of `buf` (hop-by-hop
 * headers, those named in Connection, framing and the forwarding headers the
 * proxy sets itself left out), so the upstream head is assembled by copying
 * ranges of the received bytes.
 */
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
  /** the received bytes the head was parsed from */
  buf: Buffer;
  /** end of the request line, CRLF included */
  lineEnd: number;
  /** byte ranges of `buf` to pass upstream, as start/end pairs */
  forward: number[];
  fields: RequestFields;
}

/** A parsed upstream response head (`forward` as in `RequestHead`). */
export interface ResponseHead {
  status: number;
  minor: number;
  connection: string[];
  keepAlive: boolean;
  buf: Buffer;
  /** end of the status line, CRLF included */
  lineEnd: number;
  /**
   * Byte ranges of header lines to pass to the client: without hop-by-hop
   * headers, `Server`, the security headers the proxy sets, `X-Request-Id`, and
   * without Content-Length/ETag/Vary, which the engine re-adds (or rewrites when compressing).
   */
  forward: number[];
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
const NO_TOKENS: string[] = Object.freeze([]) as unknown as string[];

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
const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;

// Byte classes as lookup tables: the head is validated in one pass over its bytes.
/** tchar (RFC 9110 §5.6.2): methods and header names */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TCHAR[c.charCodeAt(0)] = 1;
/** field-value bytes: HTAB, visible ASCII, SP and obs-text; no other control characters, no bare CR/LF */
const FIELD = new Uint8Array(256);
/** request-target bytes: visible ASCII and obs-text (no SP, no controls) */
const TARGET = new Uint8Array(256);
for (let c = 0x21; c < 0x100; c++) {
  if (c === 0x7f) continue;
  FIELD[c] = 1;
  TARGET[c] = 1;
}
FIELD[SP] = 1;
FIELD[HTAB] = 1;

const CRLFCRLF = Buffer.from("\r\n\r\n", "latin1");

/** Index just past the blank line that ends a head, or -1 when it has not arrived yet. */
export function headEnd(buf: Uint8Array, from = 0): number {
  // A Buffer needle is about twice as fast as a string one.
  const i = Buffer.prototype.indexOf.call(buf, CRLFCRLF, Math.max(0, from - 3));
  return i < 0 ? -1 : i + 4;
}

declare global {
  // Present on Buffer in Node and Bun but missing from the type definitions. Both
  // map bytes to code points one to one, so head bytes round-trip exactly.
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(text: string, offset: number, length?: number): number;
  }
}

const latin1 = (buf: Buffer, from: number, to: number): string => buf.latin1Slice(from, to);

// Header names the parser tells apart, as small integers (0: any other header).
const H_CONNECTION = 1;
const H_KEEP_ALIVE = 2;
const H_PROXY_CONNECTION = 3;
const H_TRANSFER_ENCODING = 4;
const H_TE = 5;
const H_TRAILER = 6;
const H_UPGRADE = 7;
const H_PROXY_AUTHENTICATE = 8;
const H_PROXY_AUTHORIZATION = 9;
const H_CONTENT_LENGTH = 10;
const H_X_FORWARDED_FOR = 11;
const H_X_FORWARDED_PROTO = 12;
const H_X_FORWARDED_HOST = 13;
const H_X_REAL_IP = 14;
const H_X_REQUEST_ID = 15;
const H_EXPECT = 16;
const H_HOST = 17;
const H_ACCEPT_ENCODING = 18;
const H_AUTHORIZATION = 19;
const H_RANGE = 20;
const H_IF_NONE_MATCH = 21;
const H_IF_MODIFIED_SINCE = 22;
const H_IF_RANGE = 23;
const H_SERVER = 24;
const H_ETAG = 25;
const H_VARY = 26;
const H_SECURITY = 27;
const H_CONTENT_TYPE = 28;
const H_CONTENT_ENCODING = 29;
const H_CACHE_CONTROL = 30;
const H_CONTENT_RANGE = 31;

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
const hopByHopIds: [string, number][] = [
  ["connection", H_CONNECTION],
  ["keep-alive", H_KEEP_ALIVE],
  ["proxy-connection", H_PROXY_CONNECTION],
  ["transfer-encoding", H_TRANSFER_ENCODING],
  ["te", H_TE],
  ["trailer", H_TRAILER],
  ["upgrade", H_UPGRADE],
  ["proxy-authenticate", H_PROXY_AUTHENTICATE],
  ["proxy-authorization", H_PROXY_AUTHORIZATION],
];

interface NameEntry {
  lower: Uint8Array;
  id: number;
  /** passed on as received (otherwise dropped, replaced or re-added by the engine) */
  forward: boolean;
}
/** Entries indexed by name length: a header is matched by comparing bytes, never by making a string. */
type NameTable = NameEntry[][];

function nameTable(entries: [string, number, boolean][]): NameTable {
  const table: NameTable = [];
  for (const [name, id, forward] of entries) {
    const list = table[name.length] ?? [];
    list.push({ lower: Buffer.from(name, "latin1"), id, forward });
    table[name.length] = list;
  }
  for (let i = 0; i < table.length; i++) table[i] ??= [];
  return table;
}

/** The entry for the header name at `buf[from, to)` (ASCII case-insensitive), or null. */
function lookupName(table: NameTable, buf: Buffer, from: number, to: number): NameEntry | null {
  const len = to - from;
  if (len >= table.length) return null;
  const list = table[len]!;
  for (let k = 0; k < list.length; k++) {
    const e = list[k]!;
    const lower = e.lower;
    let i = 0;
    // Names are validated as tchar first; for a tchar, `| 0x20` maps exactly the
    // upper-case letters onto the lower-case ones this table holds.
    while (i < len && (buf[from + i]! | 0x20) === lower[i]) i++;
    if (i === len) return e;
  }
  return null;
}

const requestNames = nameTable([
  ...hopByHopIds.map(([n, id]) => [n, id, false] as [string, number, boolean]),
  ["content-length", H_CONTENT_LENGTH, false],
  ["x-forwarded-for", H_X_FORWARDED_FOR, false],
  ["x-forwarded-proto", H_X_FORWARDED_PROTO, false],
  ["x-forwarded-host", H_X_FORWARDED_HOST, false],
  ["x-real-ip", H_X_REAL_IP, false],
  ["x-request-id", H_X_REQUEST_ID, false],
  ["expect", H_EXPECT, false],
  // Host is read and passed on as received.
  ["host", H_HOST, true],
  ["accept-encoding", H_ACCEPT_ENCODING, true],
  ["authorization", H_AUTHORIZATION, true],
  ["range", H_RANGE, true],
  ["if-none-match", H_IF_NONE_MATCH, true],
  ["if-modified-since", H_IF_MODIFIED_SINCE, true],
  ["if-range", H_IF_RANGE, true],
]);

const responseNames = nameTable([
  ...hopByHopIds.map(([n, id]) => [n, id, false] as [string, number, boolean]),
  ["server", H_SERVER, false],
  ["x-request-id", H_X_REQUEST_ID, false],
  ["content-length", H_CONTENT_LENGTH, false],
  ["etag", H_ETAG, false],
  ["vary", H_VARY, false],
  ["x-content-type-options", H_SECURITY, false],
  ["x-frame-options", H_SECURITY, false],
  ["referrer-policy", H_SECURITY, false],
  ["content-security-policy", H_SECURITY, false],
  ["permissions-policy", H_SECURITY, false],
  ["strict-transport-security", H_SECURITY, false],
  ["content-type", H_CONTENT_TYPE, true],
  ["content-encoding", H_CONTENT_ENCODING, true],
  ["cache-control", H_CACHE_CONTROL, true],
  ["content-range", H_CONTENT_RANGE, true],
]);

/** Adds the line `[from, to)` to the forwarded ranges, merging it into the previous range when adjacent. */
function addRange(ranges: number[], from: number, to: number): void {
  const n = ranges.length;
  if (n > 0 && ranges[n - 1] === from) ranges[n - 1] = to;
  else ranges.push(from, to);
}

/**
 * Reads one header line starting at `pos` and returns the index of its colon,
 * after checking the name is a token, the value holds no control characters
 * and the line ends in CRLF. `lineEnd` receives the index past the CRLF.
 */
let lineEnd = 0;
function headerLine(buf: Buffer, pos: number, status: number): number {
  const c0 = buf[pos];
  if (c0 === SP || c0 === HTAB) throw new HttpParseError(status, "obsolete line folding");
  let i = pos;
  while (TCHAR[buf[i]!] === 1) i++;
  if (i === pos || buf[i] !== 0x3a) throw new HttpParseError(status, "invalid header line");
  let v = i + 1;
  while (FIELD[buf[v]!] === 1) v++;
  if (buf[v] !== CR || buf[v + 1] !== LF)
    throw new HttpParseError(status, "bare CR or LF, or control characters");
  lineEnd = v + 2;
  return i;
}

/** The value of the header line whose colon is at `colon`, without surrounding whitespace. */
function lineValue(buf: Buffer, colon: number, end: number): string {
  let from = colon + 1;
  let to = end - 2;
  while (from < to && (buf[from] === SP || buf[from] === HTAB)) from++;
  while (to > from && (buf[to - 1] === SP || buf[to - 1] === HTAB)) to--;
  return latin1(buf, from, to);
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

/**
 * Rebuilds the forwarded ranges without the headers a Connection header named
 * (rare, so it may make strings). The lines were validated by the first pass.
 */
function dropNamed(buf: Buffer, pos: number, stop: number, table: NameTable, named: string[]): number[] {
  const ranges: number[] = [];
  while (pos < stop) {
    const colon = headerLine(buf, pos, 400);
    const end = lineEnd;
    const entry = lookupName(table, buf, pos, colon);
    if ((!entry || entry.forward) && !named.includes(latin1(buf, pos, colon).toLowerCase()))
      addRange(ranges, pos, end);
    pos = end;
  }
  return ranges;
}

/** Parses a request head (`buf[0, end)`, the blank line included). */
export function parseRequestHead(buf: Buffer, end: number): RequestHead {
  // request-line = method SP request-target SP HTTP-version CRLF
  let i = 0;
  while (TCHAR[buf[i]!] === 1) i++;
  if (i === 0 || buf[i] !== SP) throw new HttpParseError(400, "malformed request line");
  const sp1 = i;
  i++;
  while (TARGET[buf[i]!] === 1) i++;
  const sp2 = i;
  if (
    sp2 === sp1 + 1 ||
    buf[sp2] !== SP ||
    sp2 + 11 > end - 2 ||
    buf[sp2 + 1] !== 0x48 || // H
    buf[sp2 + 2] !== 0x54 || // T
    buf[sp2 + 3] !== 0x54 || // T
    buf[sp2 + 4] !== 0x50 || // P
    buf[sp2 + 5] !== 0x2f || // /
    buf[sp2 + 6] !== 0x31 || // 1
    buf[sp2 + 7] !== 0x2e || // .
    (buf[sp2 + 8] !== 0x31 && buf[sp2 + 8] !== 0x30) ||
    buf[sp2 + 9] !== CR ||
    buf[sp2 + 10] !== LF
  )
    throw new HttpParseError(400, "malformed request line");
  const minor = buf[sp2 + 8] === 0x31 ? 1 : 0;
  const reqLineEnd = sp2 + 11;

  let host: string | undefined;
  let hosts = 0;
  let te: string | undefined;
  let teCount = 0;
  let cl: string | undefined;
  let clCount = 0;
  let expect: string | undefined;
  let connection = NO_TOKENS;
  const forward: number[] = [];
  const fields: RequestFields = {
    "x-request-id": undefined,
    "x-forwarded-for": undefined,
    "accept-encoding": undefined,
    authorization: undefined,
    upgrade: undefined,
    range: undefined,
    "if-none-match": undefined,
    "if-modified-since": undefined,
    "if-range": undefined,
  };
  const stop = end - 2;
  let pos = reqLineEnd;
  while (pos < stop) {
    const colon = headerLine(buf, pos, 400);
    const next = lineEnd;
    const entry = lookupName(requestNames, buf, pos, colon);
    if (entry === null) {
      addRange(forward, pos, next);
      pos = next;
      continue;
    }
    if (entry.forward) addRange(forward, pos, next);
    const value = lineValue(buf, colon, next);
    switch (entry.id) {
      case H_HOST:
        host = value;
        hosts++;
        break;
      case H_TRANSFER_ENCODING:
        te = value;
        teCount++;
        break;
      case H_CONTENT_LENGTH:
        cl = value;
        clCount++;
        break;
      case H_CONNECTION:
        if (connection === NO_TOKENS) connection = [];
        tokens(value, connection);
        break;
      case H_EXPECT:
        expect = value.toLowerCase();
        break;
      case H_X_FORWARDED_FOR: {
        const prev = fields["x-forwarded-for"];
        fields["x-forwarded-for"] = prev ? `${prev}, ${value}` : value;
        break;
      }
      case H_X_REQUEST_ID:
        fields["x-request-id"] ??= value;
        break;
      case H_UPGRADE:
        fields.upgrade ??= value;
        break;
      case H_ACCEPT_ENCODING:
        fields["accept-encoding"] ??= value;
        break;
      case H_AUTHORIZATION:
        fields.authorization ??= value;
        break;
      case H_RANGE:
        fields.range ??= value;
        break;
      case H_IF_NONE_MATCH:
        fields["if-none-match"] ??= value;
        break;
      case H_IF_MODIFIED_SINCE:
        fields["if-modified-since"] ??= value;
        break;
      case H_IF_RANGE:
        fields["if-range"] ??= value;
        break;
    }
    pos = next;
  }
  if (hosts > 1 || (minor === 1 && hosts === 0))
    throw new HttpParseError(400, "exactly one Host header required");
  const framing = bodyFraming(te, teCount, cl, clCount, true);
  if (framing.kind === "chunked" && minor === 0) throw new HttpParseError(400, "chunked request in HTTP/1.0");
  if (expect !== undefined && expect !== "100-continue")
    throw new HttpParseError(417, "unsupported expectation");
  // Headers named in Connection are hop-by-hop too.
  const named = namedInConnection(connection);
  return {
    method: latin1(buf, 0, sp1),
    target: latin1(buf, sp1 + 1, sp2),
    minor,
    framing,
    host: host ?? "",
    connection,
    keepAlive: minor === 1 ? !connection.includes("close") : connection.includes("keep-alive"),
    upgrade: fields.upgrade !== undefined && connection.includes("upgrade"),
    expectContinue: expect === "100-continue" && minor === 1,
    buf,
    lineEnd: reqLineEnd,
    forward: named ? dropNamed(buf, reqLineEnd, stop, requestNames, named) : forward,
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
export function parseResponseHead(buf: Buffer, end: number): ResponseHead {
  // status-line = "HTTP/1.x" SP 3DIGIT SP [reason] CRLF (the SP after the code may be missing)
  if (
    buf[0] !== 0x48 ||
    buf[1] !== 0x54 ||
    buf[2] !== 0x54 ||
    buf[3] !== 0x50 ||
    buf[4] !== 0x2f ||
    buf[5] !== 0x31 ||
    buf[6] !== 0x2e ||
    (buf[7] !== 0x31 && buf[7] !== 0x30) ||
    buf[8] !== SP
  )
    throw new HttpParseError(502, "malformed status line");
  const d1 = buf[9]! - 0x30;
  const d2 = buf[10]! - 0x30;
  const d3 = buf[11]! - 0x30;
  if (d1 < 1 || d1 > 5 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9)
    throw new HttpParseError(502, "malformed status line");
  let i = 12;
  if (buf[i] === SP) {
    i++;
    while (FIELD[buf[i]!] === 1) i++;
  }
  if (buf[i] !== CR || buf[i + 1] !== LF || i + 2 > end - 2)
    throw new HttpParseError(502, "malformed status line");
  const minor = buf[7] === 0x31 ? 1 : 0;
  const res: ResponseHead = {
    status: d1 * 100 + d2 * 10 + d3,
    minor,
    connection: NO_TOKENS,
    keepAlive: true,
    buf,
    lineEnd: i + 2,
    forward: [],
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
  const stop = end - 2;
  let pos = res.lineEnd;
  while (pos < stop) {
    const colon = headerLine(buf, pos, 502);
    const next = lineEnd;
    const entry = lookupName(responseNames, buf, pos, colon);
    if (entry === null) {
      addRange(res.forward, pos, next);
      pos = next;
      continue;
    }
    if (entry.forward) addRange(res.forward, pos, next);
    switch (entry.id) {
      case H_CONTENT_LENGTH:
        res.contentLength = lineValue(buf, colon, next);
        res.clCount++;
        break;
      case H_TRANSFER_ENCODING:
        res.transferEncoding = lineValue(buf, colon, next);
        res.teCount++;
        break;
      case H_CONNECTION:
        if (res.connection === NO_TOKENS) res.connection = [];
        tokens(lineValue(buf, colon, next), res.connection);
        break;
      case H_ETAG:
        res.etag = lineValue(buf, colon, next);
        break;
      case H_VARY: {
        const value = lineValue(buf, colon, next);
        res.vary = res.vary ? `${res.vary}, ${value}` : value;
        break;
      }
      case H_UPGRADE:
        res.upgrade = lineValue(buf, colon, next);
        break;
      case H_CONTENT_TYPE:
        res.contentType = lineValue(buf, colon, next);
        break;
      case H_CONTENT_ENCODING:
        res.contentEncoding = lineValue(buf, colon, next);
        break;
      case H_CACHE_CONTROL:
        res.cacheControl = lineValue(buf, colon, next);
        break;
      case H_CONTENT_RANGE:
        res.contentRange = lineValue(buf, colon, next);
        break;
    }
    pos = next;
  }
  const named = namedInConnection(res.connection);
  if (named) res.forward = dropNamed(buf, res.lineEnd, stop, responseNames, named);
  res.keepAlive = minor === 1 ? !res.connection.includes("close") : res.connection.includes("keep-alive");
  return res;
}

/** Copies the forwarded ranges of a head into `out` at `at`; returns the offset after them. */
export function copyRanges(buf: Buffer, ranges: number[], out: Buffer, at: number): number {
  for (let k = 0; k < ranges.length; k += 2) at += buf.copy(out, at, ranges[k]!, ranges[k + 1]!);
  return at;
}

/** Total length of the forwarded ranges. */
export function rangesLength(ranges: number[]): number {
  let n = 0;
  for (let k = 0; k < ranges.length; k += 2) n += ranges[k + 1]! - ranges[k]!;
  return n;
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
