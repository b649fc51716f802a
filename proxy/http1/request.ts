import {
  bodyFraming,
  decimal,
  dropNamed,
  type Framing,
  HttpParseError,
  isChunked,
  latin1,
  NO_BODY,
  NO_TOKENS,
  namedInConnection,
  nextRead,
  scan,
  tokens,
} from "./scan.ts";
import {
  CR,
  F_FORWARDED_FOR,
  F_UPGRADE,
  fieldSlot,
  H_CONNECTION,
  H_CONTENT_LENGTH,
  H_EXPECT,
  H_HOST,
  H_TRANSFER_ENCODING,
  H_X_FORWARDED_FOR,
  HOST_NAME,
  LF,
  type RequestField,
  requestFieldNames,
  requestNames,
  SP,
  TARGET,
  TCHAR,
} from "./tables.ts";

/** The request head: the request line and the header lines a client sent, parsed strictly. */

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

  /**
   * Any header by its lower-case name, read from the head's bytes (the first
   * one when repeated, trimmed). For the rare header the parser does not keep
   * a range of (the configured real-IP header): slower than `field`.
   */
  anyField(lowerName: string): string | undefined {
    const lines = latin1(this.buf, this.lineEnd, this.end).split("\r\n");
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon === lowerName.length && line.slice(0, colon).toLowerCase() === lowerName)
        return line.slice(colon + 1).trim();
    }
    return undefined;
  }

  /** Start of a field's value range (slot in `requestFieldNames` order), -1 when absent. */
  fieldFrom(slot: number): number {
    return this.fields === null ? -1 : this.fields[slot * 2]!;
  }

  fieldTo(slot: number): number {
    return this.fields === null ? -1 : this.fields[slot * 2 + 1]!;
  }
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
  scan.cursor = head.lineEnd;
  for (let entry = nextRead(buf, stop, requestNames, head.forward, 400); entry; ) {
    switch (entry.id) {
      case H_HOST:
        head.hostFrom = scan.valueFrom;
        head.hostTo = scan.valueTo;
        hosts++;
        break;
      case H_TRANSFER_ENCODING:
        teChunked = isChunked(buf, scan.valueFrom, scan.valueTo);
        teCount++;
        break;
      case H_CONTENT_LENGTH:
        cl = decimal(buf, scan.valueFrom, scan.valueTo);
        clCount++;
        break;
      case H_CONNECTION:
        if (head.connection === NO_TOKENS) head.connection = [];
        tokens(latin1(buf, scan.valueFrom, scan.valueTo), head.connection);
        break;
      case H_EXPECT:
        expect = latin1(buf, scan.valueFrom, scan.valueTo).toLowerCase();
        break;
      case H_X_FORWARDED_FOR:
        if (head.fieldFrom(F_FORWARDED_FOR) >= 0) {
          // Several lines: one comma-separated list, as RFC 9110 §5.3 allows.
          head.forwardedForJoined = `${head.field("x-forwarded-for")}, ${latin1(buf, scan.valueFrom, scan.valueTo)}`;
        } else setField(head, F_FORWARDED_FOR, scan.valueFrom, scan.valueTo);
        break;
      default:
        // X-Request-Id, Upgrade, Accept-Encoding, Authorization, Range, If-*: read on demand.
        if (entry.slot >= 0) setField(head, entry.slot, scan.valueFrom, scan.valueTo);
    }
    entry = nextRead(buf, stop, requestNames, head.forward, 400);
  }
  if (hosts > 1 || (minor === 1 && hosts === 0))
    throw new HttpParseError(400, "exactly one Host header required");
  if (hosts === 1 && !validHost(buf, head.hostFrom, head.hostTo))
    throw new HttpParseError(400, "invalid Host");
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

/**
 * Host = uri-host [ ":" port ] (RFC 9110 §7.2): a reg-name or IPv4 address,
 * or an IPv6 literal in brackets, then optional port digits. Empty is allowed
 * (RFC 9112 §3.2).
 */
function validHost(buf: Buffer, from: number, to: number): boolean {
  let i = from;
  if (buf[i] === 0x5b) {
    // IP-literal: hex digits, ':' and '.' (an embedded IPv4), up to ']'
    i++;
    while (i < to && buf[i] !== 0x5d) {
      const c = buf[i]! | 0x20;
      if (!((c >= 0x30 && c <= 0x3a) || (c >= 0x61 && c <= 0x66) || c === 0x2e)) return false;
      i++;
    }
    if (i >= to) return false;
    i++;
  } else while (i < to && HOST_NAME[buf[i]!] === 1) i++;
  if (i === to) return true;
  if (buf[i] !== 0x3a) return false;
  for (i++; i < to; i++) if (buf[i]! < 0x30 || buf[i]! > 0x39) return false;
  return true;
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
