import {
  addRange,
  bodyFraming,
  decimal,
  dropNamed,
  type Framing,
  HttpParseError,
  headerLine,
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
  FIELD,
  H_CACHE_CONTROL,
  H_CONNECTION,
  H_CONTENT_ENCODING,
  H_CONTENT_LENGTH,
  H_CONTENT_RANGE,
  H_CONTENT_TYPE,
  H_ETAG,
  H_TRANSFER_ENCODING,
  H_UPGRADE,
  H_VARY,
  LF,
  lookupName,
  responseNames,
  SP,
} from "./tables.ts";

/** The response head an upstream sent, and how its body is framed. */

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
        const next = scan.lineEnd;
        const id = lookupName(responseNames, this.buf, pos, colon)?.id;
        if (id !== H_CONTENT_LENGTH && id !== H_ETAG && id !== H_VARY) addRange(out, pos, next);
        pos = next;
      }
    }
    return out;
  }
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
  scan.cursor = res.lineEnd;
  for (let entry = nextRead(buf, stop, responseNames, res.forward, 502); entry; ) {
    switch (entry.id) {
      case H_CONTENT_LENGTH:
        res.contentLength = decimal(buf, scan.valueFrom, scan.valueTo);
        res.clCount++;
        res.entityLines++;
        break;
      case H_TRANSFER_ENCODING:
        res.chunked = isChunked(buf, scan.valueFrom, scan.valueTo);
        res.teCount++;
        break;
      case H_CONNECTION:
        if (res.connection === NO_TOKENS) res.connection = [];
        tokens(latin1(buf, scan.valueFrom, scan.valueTo), res.connection);
        break;
      case H_ETAG:
        res.etagFrom = scan.valueFrom;
        res.etagTo = scan.valueTo;
        res.entityLines++;
        break;
      case H_VARY:
        if (res.varyFrom >= 0) res.varyJoined = `${res.vary}, ${latin1(buf, scan.valueFrom, scan.valueTo)}`;
        else {
          res.varyFrom = scan.valueFrom;
          res.varyTo = scan.valueTo;
        }
        res.entityLines++;
        break;
      case H_UPGRADE:
        res.upgradeFrom = scan.valueFrom;
        res.upgradeTo = scan.valueTo;
        break;
      case H_CONTENT_TYPE:
        res.typeFrom = scan.valueFrom;
        res.typeTo = scan.valueTo;
        break;
      case H_CONTENT_ENCODING:
        res.encodingFrom = scan.valueFrom;
        res.encodingTo = scan.valueTo;
        break;
      case H_CACHE_CONTROL:
        res.cacheFrom = scan.valueFrom;
        res.cacheTo = scan.valueTo;
        break;
      case H_CONTENT_RANGE:
        res.rangeFrom = scan.valueFrom;
        res.rangeTo = scan.valueTo;
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
