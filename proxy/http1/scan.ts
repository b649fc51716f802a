import { CR, FIELD, HTAB, LF, lookupName, type NameEntry, type NameTable, SP, TCHAR } from "./tables.ts";

/**
 * What both head parsers share: framing values, the parse error, finding the
 * end of a head, reading and validating header lines, and copying the lines
 * that are passed on.
 */

/**
 * Results of the line readers below, in one module-level record instead of
 * returned objects, so that reading a head allocates nothing: `lineEnd` (past
 * the CRLF of the line `headerLine` read), `valueFrom`/`valueTo` (the trimmed
 * value `valueRange` found) and `cursor` (where `nextRead` continues).
 */
export const scan = { lineEnd: 0, valueFrom: 0, valueTo: 0, cursor: 0 };

/** Body framing of a message. */
export type Framing =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** Shared framing values (never mutated): no allocation per message for the common cases. */
export const NO_BODY: Framing = Object.freeze({ kind: "none" });
const CHUNKED: Framing = Object.freeze({ kind: "chunked" });
const CLOSE: Framing = Object.freeze({ kind: "close" });
/** Shared empty token list (never pushed to: replaced on first use). */
export const NO_TOKENS: string[] = Object.freeze([]) as unknown as string[];

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

/** A string of bytes `[from, to)`, one code point per byte. */
export const latin1 = (buf: Buffer, from: number, to: number): string => buf.latin1Slice(from, to);

/** Adds the line `[from, to)` to the forwarded ranges, merging it into the previous range when adjacent. */
export function addRange(ranges: number[], from: number, to: number): void {
  const n = ranges.length;
  if (n > 0 && ranges[n - 1] === from) ranges[n - 1] = to;
  else ranges.push(from, to);
}

/**
 * Reads one header line starting at `pos` and returns the index of its colon,
 * after checking the name is a token, the value holds no control characters
 * and the line ends in CRLF. `scan.lineEnd` receives the index past the CRLF.
 */
export function headerLine(buf: Buffer, pos: number, status: number): number {
  const c0 = buf[pos];
  if (c0 === SP || c0 === HTAB) throw new HttpParseError(status, "obsolete line folding");
  let i = pos;
  while (TCHAR[buf[i]!] === 1) i++;
  if (i === pos || buf[i] !== 0x3a) throw new HttpParseError(status, "invalid header line");
  let v = i + 1;
  while (FIELD[buf[v]!] === 1) v++;
  if (buf[v] !== CR || buf[v + 1] !== LF)
    throw new HttpParseError(status, "bare CR or LF, or control characters");
  scan.lineEnd = v + 2;
  return i;
}

/** Trimmed value range of the line whose colon is at `colon` (into `scan.valueFrom`/`scan.valueTo`). */
function valueRange(buf: Buffer, colon: number, end: number): void {
  let from = colon + 1;
  let to = end - 2;
  while (from < to && (buf[from] === SP || buf[from] === HTAB)) from++;
  while (to > from && (buf[to - 1] === SP || buf[to - 1] === HTAB)) to--;
  scan.valueFrom = from;
  scan.valueTo = to;
}

/** A decimal Content-Length value (1 to 15 digits), or -1 when it is not one. */
export function decimal(buf: Buffer, from: number, to: number): number {
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
export function isChunked(buf: Buffer, from: number, to: number): boolean {
  if (to - from !== 7) return false;
  for (let i = 0; i < 7; i++) if ((buf[from + i]! | 0x20) !== CHUNKED_BYTES[i]) return false;
  return true;
}

/**
 * Walks header lines from `scan.cursor` up to `stop`: lines the table does not know
 * go straight into `forward`, and the next line the proxy reads is returned
 * (also added to `forward` when it passes through as received), its value in
 * `scan.valueFrom`/`scan.valueTo`; null at the end of the head. Shared by both parsers
 * through the `scan` record rather than a callback, so no closure is made per head.
 */
export function nextRead(
  buf: Buffer,
  stop: number,
  table: NameTable,
  forward: number[],
  status: number,
): NameEntry | null {
  let cursor = scan.cursor;
  while (cursor < stop) {
    const pos = cursor;
    const colon = headerLine(buf, pos, status);
    cursor = scan.lineEnd;
    const entry = lookupName(table, buf, pos, colon);
    if (entry === null) {
      addRange(forward, pos, cursor);
      continue;
    }
    if (entry.forward) addRange(forward, pos, cursor);
    valueRange(buf, colon, cursor);
    scan.cursor = cursor;
    return entry;
  }
  scan.cursor = cursor;
  return null;
}

/** Connection tokens other than keep-alive/close/upgrade (headers to drop), or null when there are none. */
export function namedInConnection(connection: string[]): string[] | null {
  let out: string[] | null = null;
  for (const t of connection)
    if (t !== "keep-alive" && t !== "close" && t !== "upgrade") {
      if (!out) out = [];
      out.push(t);
    }
  return out;
}

/** Adds the comma-separated tokens of `value`, trimmed and lower-cased, to `into`. */
export function tokens(value: string, into: string[]): void {
  for (const t of value.split(",")) {
    const v = t.trim().toLowerCase();
    if (v) into.push(v);
  }
}

/**
 * Rebuilds the forwarded ranges without the headers a Connection header named
 * (rare, so it may make strings). The lines were validated by the first pass.
 */
export function dropNamed(
  buf: Buffer,
  pos: number,
  stop: number,
  table: NameTable,
  named: string[],
): number[] {
  const ranges: number[] = [];
  while (pos < stop) {
    const colon = headerLine(buf, pos, 400);
    const end = scan.lineEnd;
    const entry = lookupName(table, buf, pos, colon);
    if ((!entry || entry.forward) && !named.includes(latin1(buf, pos, colon).toLowerCase()))
      addRange(ranges, pos, end);
    pos = end;
  }
  return ranges;
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

/** Body framing from the framing headers (RFC 9112 §6): refuses every ambiguous combination. */
export function bodyFraming(
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
