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

/** Request headers the proxy reads, by lower-case name. */
export type RequestField =
  | "x-request-id"
  | "x-forwarded-for"
  | "accept-encoding"
  | "authorization"
  | "upgrade"
  | "range"
  | "if-none-match"
  | "if-modified-since"
  | "if-range";

const requestFieldNames: RequestField[] = [
  "x-request-id",
  "x-forwarded-for",
  "accept-encoding",
  "authorization",
  "upgrade",
  "range",
  "if-none-match",
  "if-modified-since",
  "if-range",
];
const fieldSlot = new Map<string, number>(requestFieldNames.map((n, i) => [n, i]));
/** Slots of `requestFieldNames` the engine reads by number. */
export const F_REQUEST_ID = 0;
export const F_FORWARDED_FOR = 1;
const F_UPGRADE = 4;

/**
 * A parsed request head. Nothing is copied out of the received bytes unless
 * asked for: header lines passed upstream are `[start, end)` ranges of `buf`
 * (`forward`), the values the proxy reads are ranges too, and the strings
 * (`target`, `host`, `field(...)`) are made on first use. The hot path of a
 * proxied GET so allocates no string at all.
 */
export class RequestHead {
  method = "";
  /** minor version: 0 or 1 */
  minor = 1;
  framing: Framing = NO_BODY;
  /** Connection header tokens, lower-cased */
  connection: string[] = NO_TOKENS;
  keepAlive = true;
  upgrade = false;
  expectContinue = false;
  /** end of the request line, CRLF included */
  lineEnd = 0;
  /** end of the head (past the blank line) */
  end = 0;
  /** byte ranges of `buf` to pass upstream, as start/end pairs */
  forward: number[] = [];
  targetFrom = 0;
  targetTo = 0;
  /** value range of the Host header; -1 when there is none */
  hostFrom = -1;
  hostTo = -1;
  /**
   * Value ranges of the fields in `requestFieldNames` order (start/end pairs, -1
   * when absent); null while none was sent, so most requests allocate nothing here.
   */
  fields: number[] | null = null;
  /** several X-Forwarded-For lines, joined (rare) */
  forwardedForJoined: string | undefined = undefined;
  private targetText: string | undefined = undefined;
  private pathText: string | undefined = undefined;

  /** @param buf the received bytes the head was parsed from */
  constructor(readonly buf: Buffer) {}

  get target(): string {
    this.targetText ??= latin1(this.buf, this.targetFrom, this.targetTo);
    return this.targetText;
  }

  /** The target without its query. */
  get path(): string {
    if (this.pathText === undefined) {
      const t = this.target;
      const q = t.indexOf("?");
      this.pathText = q < 0 ? t : t.slice(0, q);
    }
    return this.pathText;
  }

  /** Whether the target starts with `prefix` (bytes compared, no string made). */
  targetStartsWith(prefix: Uint8Array): boolean {
    const from = this.targetFrom;
    if (this.targetTo - from < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.buf[from + i] !== prefix[i]) return false;
    return true;
  }

  get host(): string {
    return this.hostFrom < 0 ? "" : latin1(this.buf, this.hostFrom, this.hostTo);
  }

  /** A header the proxy reads (the first one when repeated; X-Forwarded-For values joined). */
  field(name: RequestField): string | undefined {
    if (name === "x-forwarded-for" && this.forwardedForJoined !== undefined) return this.forwardedForJoined;
    const slot = fieldSlot.get(name)!;
    const from = this.fieldFrom(slot);
    return from < 0 ? undefined : latin1(this.buf, from, this.fieldTo(slot));
  }

  /** Start of a field's value range (slot in `requestFieldNames` order), -1 when absent. */
  fieldFrom(slot: number): number {
    return this.fields === null ? -1 : this.fields[slot * 2]!;
  }

  fieldTo(slot: number): number {
    return this.fields === null ? -1 : this.fields[slot * 2 + 1]!;
  }
}

/** A parsed upstream response head; like `RequestHead`, strings are made on first use. */
export class ResponseHead {
  status = 0;
  minor = 1;
  connection: string[] = NO_TOKENS;
  keepAlive = true;
  /** end of the status line, CRLF included */
  lineEnd = 0;
  /**
   * Byte ranges of the header lines to pass to the client as received: without
   * hop-by-hop headers, `Server`, the security headers the proxy sets and
   * `X-Request-Id`. Content-Length, ETag and Vary lines are included; a
   * compressed response is sent with `forwardWithoutEntity()` and its own.
   */
  forward: number[] = [];
  /** Content-Length value; -1 when absent */
  contentLength = -1;
  clCount = 0;
  /** Transfer-Encoding is present and exactly `chunked` */
  chunked = false;
  teCount = 0;
  /** the upstream sent an ETag, Vary or Content-Length (re-done when compressing) */
  entityLines = 0;
  // Value ranges of the headers read on demand (-1 when absent).
  etagFrom = -1;
  etagTo = -1;
  varyFrom = -1;
  varyTo = -1;
  typeFrom = -1;
  typeTo = -1;
  encodingFrom = -1;
  encodingTo = -1;
  rangeFrom = -1;
  rangeTo = -1;
  cacheFrom = -1;
  cacheTo = -1;
  upgradeFrom = -1;
  upgradeTo = -1;
  /** several Vary lines, joined (rare) */
  varyJoined: string | undefined = undefined;

  constructor(readonly buf: Buffer) {}

  private text(from: number, to: number): string | undefined {
    return from < 0 ? undefined : latin1(this.buf, from, to);
  }
  get etag(): string | undefined {
    return this.text(this.etagFrom, this.etagTo);
  }
  get vary(): string | undefined {
    return this.varyJoined ?? this.text(this.varyFrom, this.varyTo);
  }
  get contentType(): string | undefined {
    return this.text(this.typeFrom, this.typeTo);
  }
  get contentEncoding(): string | undefined {
    return this.text(this.encodingFrom, this.encodingTo);
  }
  get contentRange(): string | undefined {
    return this.text(this.rangeFrom, this.rangeTo);
  }
  get cacheControl(): string | undefined {
    return this.text(this.cacheFrom, this.cacheTo);
  }
  get upgrade(): string | undefined {
    return this.text(this.upgradeFrom, this.upgradeTo);
  }

  /** The forwarded ranges without Content-Length, ETag and Vary lines (for a re-encoded body). */
  forwardWithoutEntity(): number[] {
    if (this.entityLines === 0) return this.forward;
    const out: number[] = [];
    for (let k = 0; k < this.forward.length; k += 2) {
      let pos = this.forward[k]!;
      const end = this.forward[k + 1]!;
      while (pos < end) {
        const colon = headerLine(this.buf, pos, 502);
        const next = lineEnd;
        const id = lookupName(responseNames, this.buf, pos, colon)?.id;
        if (id !== H_CONTENT_LENGTH && id !== H_ETAG && id !== H_VARY) addRange(out, pos, next);
        pos = next;
      }
    }
    return out;
  }
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
  /** where a request header the proxy reads keeps its value range (`requestFieldNames` order), or -1 */
  slot: number;
}
/** Entries indexed by name length: a header is matched by comparing bytes, never by making a string. */
type NameTable = NameEntry[][];

function nameTable(entries: [string, number, boolean][], slots?: Map<string, number>): NameTable {
  const table: NameTable = [];
  for (const [name, id, forward] of entries) {
    const list = table[name.length] ?? [];
    list.push({ lower: Buffer.from(name, "latin1"), id, forward, slot: slots?.get(name) ?? -1 });
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

const requestNames = nameTable(
  [
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
  ],
  fieldSlot,
);

// Content-Length, ETag and Vary pass through unless the proxy compresses the body.
const responseNames = nameTable([
  ...hopByHopIds.map(([n, id]) => [n, id, false] as [string, number, boolean]),
  ["server", H_SERVER, false],
  ["x-request-id", H_X_REQUEST_ID, false],
  ["content-length", H_CONTENT_LENGTH, true],
  ["etag", H_ETAG, true],
  ["vary", H_VARY, true],
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

/** Trimmed value range of the line whose colon is at `colon` (into `valueFrom`/`valueTo`). */
let valueFrom = 0;
let valueTo = 0;
function valueRange(buf: Buffer, colon: number, end: number): void {
  let from = colon + 1;
  let to = end - 2;
  while (from < to && (buf[from] === SP || buf[from] === HTAB)) from++;
  while (to > from && (buf[to - 1] === SP || buf[to - 1] === HTAB)) to--;
  valueFrom = from;
  valueTo = to;
}

/** A decimal Content-Length value (1 to 15 digits), or -1 when it is not one. */
function decimal(buf: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const CHUNKED_BYTES = Buffer.from("chunked", "latin1");
/** The value range is exactly `chunked` (any case). */
function isChunked(buf: Buffer, from: number, to: number): boolean {
  if (to - from !== 7) return false;
  for (let i = 0; i < 7; i++) if ((buf[from + i]! | 0x20) !== CHUNKED_BYTES[i]) return false;
  return true;
}

// Methods are case-sensitive; the common ones come back as shared strings.
const knownMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].map((m) => ({
  text: m,
  bytes: Buffer.from(m, "latin1"),
}));
function methodText(buf: Buffer, len: number): string {
  for (const m of knownMethods) {
    if (m.bytes.length !== len) continue;
    let i = 0;
    while (i < len && buf[i] === m.bytes[i]) i++;
    if (i === len) return m.text;
  }
  return latin1(buf, 0, len);
}

/**
 * Walks header lines from `cursor` up to `stop`: lines the table does not know
 * go straight into `forward`, and the next line the proxy reads is returned
 * (also added to `forward` when it passes through as received), its value in
 * `valueFrom`/`valueTo`; null at the end of the head. Shared by both parsers
 * through module state rather than a callback, so no closure is made per head.
 */
let cursor = 0;
function nextRead(
  buf: Buffer,
  stop: number,
  table: NameTable,
  forward: number[],
  status: number,
): NameEntry | null {
  while (cursor < stop) {
    const pos = cursor;
    const colon = headerLine(buf, pos, status);
    cursor = lineEnd;
    const entry = lookupName(table, buf, pos, colon);
    if (entry === null) {
      addRange(forward, pos, cursor);
      continue;
    }
    if (entry.forward) addRange(forward, pos, cursor);
    valueRange(buf, colon, cursor);
    return entry;
  }
  return null;
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
  const head = new RequestHead(buf);
  const minor = buf[sp2 + 8] === 0x31 ? 1 : 0;
  head.minor = minor;
  head.targetFrom = sp1 + 1;
  head.targetTo = sp2;
  head.lineEnd = sp2 + 11;
  head.end = end;

  let hosts = 0;
  let teCount = 0;
  let teChunked = false;
  let clCount = 0;
  let cl = -1;
  let expect: string | undefined;
  const stop = end - 2;
  cursor = head.lineEnd;
  for (let entry = nextRead(buf, stop, requestNames, head.forward, 400); entry; ) {
    switch (entry.id) {
      case H_HOST:
        head.hostFrom = valueFrom;
        head.hostTo = valueTo;
        hosts++;
        break;
      case H_TRANSFER_ENCODING:
        teChunked = isChunked(buf, valueFrom, valueTo);
        teCount++;
        break;
      case H_CONTENT_LENGTH:
        cl = decimal(buf, valueFrom, valueTo);
        clCount++;
        break;
      case H_CONNECTION:
        if (head.connection === NO_TOKENS) head.connection = [];
        tokens(latin1(buf, valueFrom, valueTo), head.connection);
        break;
      case H_EXPECT:
        expect = latin1(buf, valueFrom, valueTo).toLowerCase();
        break;
      case H_X_FORWARDED_FOR:
        if (head.fieldFrom(F_FORWARDED_FOR) >= 0) {
          // Several lines: one comma-separated list, as RFC 9110 §5.3 allows.
          head.forwardedForJoined = `${head.field("x-forwarded-for")}, ${latin1(buf, valueFrom, valueTo)}`;
        } else setField(head, F_FORWARDED_FOR, valueFrom, valueTo);
        break;
      default:
        // X-Request-Id, Upgrade, Accept-Encoding, Authorization, Range, If-*: read on demand.
        if (entry.slot >= 0) setField(head, entry.slot, valueFrom, valueTo);
    }
    entry = nextRead(buf, stop, requestNames, head.forward, 400);
  }
  if (hosts > 1 || (minor === 1 && hosts === 0))
    throw new HttpParseError(400, "exactly one Host header required");
  const framing = bodyFraming(teCount, teChunked, clCount, cl, true);
  if (framing.kind === "chunked" && minor === 0) throw new HttpParseError(400, "chunked request in HTTP/1.0");
  if (expect !== undefined && expect !== "100-continue")
    throw new HttpParseError(417, "unsupported expectation");
  head.method = methodText(buf, sp1);
  head.framing = framing;
  const connection = head.connection;
  if (connection !== NO_TOKENS) {
    head.keepAlive = minor === 1 ? !connection.includes("close") : connection.includes("keep-alive");
    head.upgrade = head.fieldFrom(F_UPGRADE) >= 0 && connection.includes("upgrade");
    // Headers named in Connection are hop-by-hop too.
    const named = namedInConnection(connection);
    if (named) head.forward = dropNamed(buf, head.lineEnd, stop, requestNames, named);
  } else head.keepAlive = minor === 1;
  head.expectContinue = expect === "100-continue" && minor === 1;
  return head;
}

/** Records a field's value range unless an earlier line already set it (slot in `requestFieldNames` order). */
function setField(head: RequestHead, slot: number, from: number, to: number): void {
  let fields = head.fields;
  if (fields === null) {
    fields = [];
    for (let i = 0; i < requestFieldNames.length * 2; i++) fields.push(-1);
    head.fields = fields;
  }
  const k = slot * 2;
  if (fields[k]! >= 0) return;
  fields[k] = from;
  fields[k + 1] = to;
}

function bodyFraming(
  teCount: number,
  teChunked: boolean,
  clCount: number,
  cl: number,
  isRequest: boolean,
): Framing {
  if (teCount > 0) {
    if (clCount > 0) throw new HttpParseError(400, "both Content-Length and Transfer-Encoding");
    // Only a lone, final `chunked` is accepted: any other coding list is a smuggling vector.
    if (teCount > 1 || !teChunked)
      throw new HttpParseError(isRequest ? 501 : 502, "unsupported Transfer-Encoding");
    return CHUNKED;
  }
  if (clCount > 0) {
    if (clCount > 1 || cl < 0) throw new HttpParseError(400, "invalid Content-Length");
    return cl === 0 && isRequest ? NO_BODY : { kind: "length", length: cl };
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
  const res = new ResponseHead(buf);
  const minor = buf[7] === 0x31 ? 1 : 0;
  res.status = d1 * 100 + d2 * 10 + d3;
  res.minor = minor;
  res.lineEnd = i + 2;
  const stop = end - 2;
  cursor = res.lineEnd;
  for (let entry = nextRead(buf, stop, responseNames, res.forward, 502); entry; ) {
    switch (entry.id) {
      case H_CONTENT_LENGTH:
        res.contentLength = decimal(buf, valueFrom, valueTo);
        res.clCount++;
        res.entityLines++;
        break;
      case H_TRANSFER_ENCODING:
        res.chunked = isChunked(buf, valueFrom, valueTo);
        res.teCount++;
        break;
      case H_CONNECTION:
        if (res.connection === NO_TOKENS) res.connection = [];
        tokens(latin1(buf, valueFrom, valueTo), res.connection);
        break;
      case H_ETAG:
        res.etagFrom = valueFrom;
        res.etagTo = valueTo;
        res.entityLines++;
        break;
      case H_VARY:
        if (res.varyFrom >= 0) res.varyJoined = `${res.vary}, ${latin1(buf, valueFrom, valueTo)}`;
        else {
          res.varyFrom = valueFrom;
          res.varyTo = valueTo;
        }
        res.entityLines++;
        break;
      case H_UPGRADE:
        res.upgradeFrom = valueFrom;
        res.upgradeTo = valueTo;
        break;
      case H_CONTENT_TYPE:
        res.typeFrom = valueFrom;
        res.typeTo = valueTo;
        break;
      case H_CONTENT_ENCODING:
        res.encodingFrom = valueFrom;
        res.encodingTo = valueTo;
        break;
      case H_CACHE_CONTROL:
        res.cacheFrom = valueFrom;
        res.cacheTo = valueTo;
        break;
      case H_CONTENT_RANGE:
        res.rangeFrom = valueFrom;
        res.rangeTo = valueTo;
        break;
    }
    entry = nextRead(buf, stop, responseNames, res.forward, 502);
  }
  const connection = res.connection;
  if (connection !== NO_TOKENS) {
    const named = namedInConnection(connection);
    if (named) res.forward = dropNamed(buf, res.lineEnd, stop, responseNames, named);
    res.keepAlive = minor === 1 ? !connection.includes("close") : connection.includes("keep-alive");
  } else res.keepAlive = minor === 1;
  return res;
}

/**
 * Copies a head's start line (`buf[0, lineEnd)`) and then its forwarded ranges
 * into `out` from offset 0 — the line and a range right after it in one copy.
 * Returns the bytes written.
 */
export function copyStartAndRanges(buf: Buffer, lineEnd: number, ranges: number[], out: Buffer): number {
  if (ranges.length > 0 && ranges[0] === lineEnd) {
    const n = buf.copy(out, 0, 0, ranges[1]!);
    return copyRanges(buf, ranges, out, n, 2);
  }
  return copyRanges(buf, ranges, out, buf.copy(out, 0, 0, lineEnd));
}

/** Copies the forwarded ranges of a head (from pair `first`) into `out` at `at`; returns the offset after them. */
export function copyRanges(buf: Buffer, ranges: number[], out: Buffer, at: number, first = 0): number {
  for (let k = first; k < ranges.length; k += 2) at += buf.copy(out, at, ranges[k]!, ranges[k + 1]!);
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
    return bodyFraming(head.teCount, head.chunked, head.clCount, head.contentLength, false);
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
