/**
 * Header tables: byte classes, the header names the parsers tell apart (matched
 * as bytes by length), hop-by-hop names, the request fields the proxy reads.
 */

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
  | "if-range"
  | "traceparent";

/** The request fields in slot order (a head keeps their value ranges by slot). */
export const requestFieldNames: RequestField[] = [
  "x-request-id",
  "x-forwarded-for",
  "accept-encoding",
  "authorization",
  "upgrade",
  "range",
  "if-none-match",
  "if-modified-since",
  "if-range",
  "traceparent",
];
/** Slot of each field name in `requestFieldNames`. */
export const fieldSlot = new Map<string, number>(requestFieldNames.map((n, i) => [n, i]));
/** Slots of `requestFieldNames` the engine reads by number. */
export const F_REQUEST_ID = 0;
export const F_FORWARDED_FOR = 1;
export const F_UPGRADE = 4;
export const F_TRACEPARENT = 9;

/** Bytes the parsers compare against. */
export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;

// Byte classes as lookup tables: the head is validated in one pass over its bytes.
/** tchar (RFC 9110 §5.6.2): methods and header names */
export const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TCHAR[c.charCodeAt(0)] = 1;
/**
 * reg-name bytes of a Host (RFC 3986 §3.2.2: unreserved, pct-encoded and
 * sub-delims); a Host of anything else would be read differently, or not at
 * all, by the app's URL parser.
 */
export const HOST_NAME = new Uint8Array(256);
for (const c of "-._~%!$&'()*+,;=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  HOST_NAME[c.charCodeAt(0)] = 1;
/** field-value bytes: HTAB, visible ASCII, SP and obs-text; no other control characters, no bare CR/LF */
export const FIELD = new Uint8Array(256);
/** request-target bytes: visible ASCII and obs-text (no SP, no controls) */
export const TARGET = new Uint8Array(256);
for (let c = 0x21; c < 0x100; c++) {
  if (c === 0x7f) continue;
  FIELD[c] = 1;
  TARGET[c] = 1;
}
FIELD[SP] = 1;
FIELD[HTAB] = 1;

// Header names the parser tells apart, as small integers (0: any other header).
export const H_CONNECTION = 1;
const H_KEEP_ALIVE = 2;
const H_PROXY_CONNECTION = 3;
export const H_TRANSFER_ENCODING = 4;
const H_TE = 5;
const H_TRAILER = 6;
export const H_UPGRADE = 7;
const H_PROXY_AUTHENTICATE = 8;
const H_PROXY_AUTHORIZATION = 9;
export const H_CONTENT_LENGTH = 10;
export const H_X_FORWARDED_FOR = 11;
const H_X_FORWARDED_PROTO = 12;
const H_X_FORWARDED_HOST = 13;
const H_X_REAL_IP = 14;
const H_X_REQUEST_ID = 15;
export const H_EXPECT = 16;
export const H_HOST = 17;
const H_ACCEPT_ENCODING = 18;
const H_AUTHORIZATION = 19;
const H_RANGE = 20;
const H_IF_NONE_MATCH = 21;
const H_IF_MODIFIED_SINCE = 22;
const H_IF_RANGE = 23;
const H_SERVER = 24;
export const H_ETAG = 25;
export const H_VARY = 26;
const H_SECURITY = 27;
export const H_CONTENT_TYPE = 28;
export const H_CONTENT_ENCODING = 29;
export const H_CACHE_CONTROL = 30;
export const H_CONTENT_RANGE = 31;
const H_TRACEPARENT = 32;

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

export interface NameEntry {
  lower: Uint8Array;
  id: number;
  /** passed on as received (otherwise dropped, replaced or re-added by the engine) */
  forward: boolean;
  /** where a request header the proxy reads keeps its value range (`requestFieldNames` order), or -1 */
  slot: number;
}
/** Entries indexed by name length: a header is matched by comparing bytes, never by making a string. */
export type NameTable = NameEntry[][];

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
export function lookupName(table: NameTable, buf: Buffer, from: number, to: number): NameEntry | null {
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

export const requestNames = nameTable(
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
    // Re-written by the engine: as received with tracing off, naming the proxy's span with it on.
    ["traceparent", H_TRACEPARENT, false],
  ],
  fieldSlot,
);

// Content-Length, ETag and Vary pass through unless the proxy compresses the body.
export const responseNames = nameTable([
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

/** Methods a retry may safely repeat. */
export const idempotentMethods = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);
