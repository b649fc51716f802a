/**
 * Strict HTTP/1.1 message-head parsing (RFC 9112). The proxy forwards body bytes
 * untouched, so every framing ambiguity a backend might read differently
 * (request smuggling) is rejected here instead of being passed on.
 */

/** A header as received; `lower` is the lower-cased name. Values are latin1 text. */
export interface Header {
  name: string;
  lower: string;
  value: string;
}

/** Body framing of a message. */
export type Framing =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** A parsed request head and what the proxy derives from it. */
export interface RequestHead {
  method: string;
  target: string;
  /** minor version: 0 or 1 */
  minor: number;
  headers: Header[];
  framing: Framing;
  host: string;
  /** Connection header tokens, lower-cased */
  connection: string[];
  keepAlive: boolean;
  upgrade: boolean;
  expectContinue: boolean;
}

/** A parsed upstream response head. */
export interface ResponseHead {
  status: number;
  reason: string;
  minor: number;
  headers: Header[];
  connection: string[];
  keepAlive: boolean;
}

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

/**
 * Parses the header lines of `text` starting at `pos` (just after the start
 * line). Lines are split on CRLF only; any other CR or LF, any CTL but HTAB in
 * a value, a line starting with whitespace (obs-fold) or a bad name throws.
 */
function parseHeaders(text: string, pos: number): Header[] {
  const headers: Header[] = [];
  const n = text.length;
  while (pos < n) {
    let eol = text.indexOf("\r\n", pos);
    if (eol < 0) eol = n;
    const c0 = text.charCodeAt(pos);
    if (c0 === 0x20 || c0 === 0x09) throw new HttpParseError(400, "obsolete line folding");
    const colon = text.indexOf(":", pos);
    if (colon < 0 || colon >= eol || !isToken(text, pos, colon))
      throw new HttpParseError(400, "invalid header line");
    let vs = colon + 1;
    let ve = eol;
    for (let i = vs; i < ve; i++) {
      const c = text.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) throw new HttpParseError(400, "invalid header value");
    }
    while (vs < ve && (text.charCodeAt(vs) === 0x20 || text.charCodeAt(vs) === 0x09)) vs++;
    while (ve > vs && (text.charCodeAt(ve - 1) === 0x20 || text.charCodeAt(ve - 1) === 0x09)) ve--;
    const name = text.slice(pos, colon);
    headers.push({ name, lower: name.toLowerCase(), value: text.slice(vs, ve) });
    pos = eol + 2;
  }
  return headers;
}

/** Validates a start line (no CTLs at all) and returns where it ends. */
function startLineEnd(text: string): number {
  let eol = text.indexOf("\r\n");
  if (eol < 0) eol = text.length;
  for (let i = 0; i < eol; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new HttpParseError(400, "bare CR or LF");
  }
  return eol;
}

function connectionTokens(headers: Header[]): string[] {
  const out: string[] = [];
  for (const h of headers)
    if (h.lower === "connection")
      for (const t of h.value.split(",")) {
        const v = t.trim().toLowerCase();
        if (v) out.push(v);
      }
  return out;
}

function bodyFraming(headers: Header[], isRequest: boolean): Framing {
  let te: string | undefined;
  let teCount = 0;
  let cl: string | undefined;
  let clCount = 0;
  for (const h of headers) {
    if (h.lower === "transfer-encoding") {
      te = h.value;
      teCount++;
    } else if (h.lower === "content-length") {
      cl = h.value;
      clCount++;
    }
  }
  if (te !== undefined) {
    if (clCount > 0) throw new HttpParseError(400, "both Content-Length and Transfer-Encoding");
    // Only a lone, final `chunked` is accepted: any other coding list is a smuggling vector.
    if (teCount > 1 || te.toLowerCase() !== "chunked")
      throw new HttpParseError(isRequest ? 501 : 502, "unsupported Transfer-Encoding");
    return { kind: "chunked" };
  }
  if (cl !== undefined) {
    if (clCount > 1 || !digitsRe.test(cl)) throw new HttpParseError(400, "invalid Content-Length");
    const length = Number(cl);
    return length === 0 && isRequest ? { kind: "none" } : { kind: "length", length };
  }
  return isRequest ? { kind: "none" } : { kind: "close" };
}

/** Parses a request head (bytes up to and including the blank line). */
export function parseRequestHead(buf: Uint8Array, end: number): RequestHead {
  const text = Buffer.prototype.latin1Slice.call(buf, 0, end - 4) as string;
  const eol = startLineEnd(text);
  const sp1 = text.indexOf(" ");
  const sp2 = sp1 < 0 ? -1 : text.indexOf(" ", sp1 + 1);
  if (sp1 <= 0 || sp2 <= sp1 + 1 || sp2 !== eol - 9 || !isToken(text, 0, sp1))
    throw new HttpParseError(400, "malformed request line");
  const version = text.slice(sp2 + 1, eol);
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0")
    throw new HttpParseError(400, "malformed request line");
  const minor = version === "HTTP/1.1" ? 1 : 0;
  const headers = parseHeaders(text, eol + 2);
  let host: string | undefined;
  let hosts = 0;
  let upgradeHeader = false;
  let expect: string | undefined;
  for (const h of headers) {
    if (h.lower === "host") {
      host = h.value;
      hosts++;
    } else if (h.lower === "upgrade") upgradeHeader = true;
    else if (h.lower === "expect") expect = h.value.toLowerCase();
  }
  if (hosts > 1 || (minor === 1 && hosts === 0))
    throw new HttpParseError(400, "exactly one Host header required");
  const framing = bodyFraming(headers, true);
  if (framing.kind === "chunked" && minor === 0) throw new HttpParseError(400, "chunked request in HTTP/1.0");
  if (expect !== undefined && expect !== "100-continue")
    throw new HttpParseError(417, "unsupported expectation");
  const connection = connectionTokens(headers);
  const keepAlive = minor === 1 ? !connection.includes("close") : connection.includes("keep-alive");
  return {
    method: text.slice(0, sp1),
    target: text.slice(sp1 + 1, sp2),
    minor,
    headers,
    framing,
    host: host ?? "",
    connection,
    keepAlive,
    upgrade: upgradeHeader && connection.includes("upgrade"),
    expectContinue: expect === "100-continue" && minor === 1,
  };
}

/** Parses an upstream response head. Framing depends on the request, see `responseFraming`. */
export function parseResponseHead(buf: Uint8Array, end: number): ResponseHead {
  const text = Buffer.prototype.latin1Slice.call(buf, 0, end - 4) as string;
  let eol: number;
  try {
    eol = startLineEnd(text);
  } catch {
    throw new HttpParseError(502, "malformed status line");
  }
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
  const headers = parseHeaders(text, eol + 2);
  const connection = connectionTokens(headers);
  return {
    status,
    reason: eol > 13 ? text.slice(13, eol) : "",
    minor,
    headers,
    connection,
    keepAlive: minor === 1 ? !connection.includes("close") : connection.includes("keep-alive"),
  };
}

/** How the body of a response to `method` with this head is delimited (RFC 9112 §6.3). */
export function responseFraming(head: ResponseHead, method: string): Framing {
  if (method === "HEAD" || head.status < 200 || head.status === 204 || head.status === 304)
    return { kind: "none" };
  try {
    return bodyFraming(head.headers, false);
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

/** Methods a retry may safely repeat. */
export const idempotentMethods = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);
