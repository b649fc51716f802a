import { table as STATIC } from "hpack.js/lib/hpack/static-table.js";

/**
 * The response side of HPACK (RFC 7541) for one native HTTP/2 connection.
 * Responses repeat most of their lines (content type, the security headers,
 * the date within a second), so each line of the engine's HTTP/1 head is
 * remembered by its bytes (a hash, then a compare; no string is made): the
 * first time it goes out as a literal that also enters the connection's
 * dynamic table, every later time as a one- or two-byte index. A 433-byte
 * block of the benchmark's small response becomes ~60 bytes, and the line is
 * not parsed, lower-cased or copied again. Lines whose value changes per
 * response (request id, cookies) are literals that never enter the table and
 * are not remembered; those that repeat but vary too much to hold table room
 * (length, validators) are remembered as ready literals.
 *
 * Memory is bounded by the table (4096 bytes of entries, at most the client's
 * SETTINGS_HEADER_TABLE_SIZE) and by `MAX_LITERALS` remembered literals; what
 * enters the table is the server's choice, so a client cannot make it grow.
 */

const STATIC_LENGTH = STATIC.length;
/** The table size this side uses: the protocol's default, whatever larger size a client allows. */
const TABLE_BYTES = 4096;
/** Remembered literal lines (not in the table) before the memo starts again. */
const MAX_LITERALS = 256;

const staticName = new Map<string, number>();
STATIC.forEach((e, i) => {
  if (!staticName.has(e.name)) staticName.set(e.name, i + 1);
});
const STATUS_INDEX: Record<number, number> = { 200: 8, 204: 9, 206: 10, 304: 11, 400: 12, 404: 13, 500: 14 };
/** Connection-specific fields: not sent in HTTP/2 (RFC 9113 §8.2.2). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"]);
/** Values that change from response to response: never indexed, and not remembered either. */
const PER_RESPONSE = new Set(["x-request-id", "set-cookie", "traceparent"]);
/** Values that repeat, but too variously to hold table room: remembered literals. */
const UNINDEXED = new Set([
  "content-length",
  "content-range",
  "etag",
  "last-modified",
  "age",
  "expires",
  "location",
  "retry-after",
  "server-timing",
]);

/** Writes `v` with an N-bit prefix at `out[at]` (whose high bits are `high`); the new offset. */
export function putInt(out: Uint8Array, at: number, v: number, prefix: number, high: number): number {
  const mask = (1 << prefix) - 1;
  if (v < mask) {
    out[at++] = high | v;
    return at;
  }
  out[at++] = high | mask;
  v -= mask;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at++] = v;
  return at;
}

function putStr(out: Buffer, at: number, s: string): number {
  at = putInt(out, at, s.length, 7, 0);
  return at + out.latin1Write(s, at);
}

/** Most bytes `encode` may write for a head of `length` bytes: every line at most its own length plus prefixes. */
export function encodedBound(length: number): number {
  return length * 2 + 64;
}

function nameHash(b: Buffer, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < to; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
  return h;
}

/** Bytes `trim()` would take off a value's ends (latin1). */
function isSpace(b: number): boolean {
  return b === 32 || b === 9 || b === 11 || b === 12 || b === 160;
}

/** What is known about one line of a head. */
interface Line {
  hash: number;
  bytes: Buffer;
  /** its insertion number while its entry is in the table; -1 when it is not (or no longer) */
  seq: number;
  /** the ready literal of a line kept out of the table; null for a line HTTP/2 does not carry */
  literal: Buffer | null;
}

/**
 * The start of a head seen before (status line and the lines up to its first
 * per-response line, or all of it when `exact`) with its block, valid while
 * the table is as it was then (`inserted` unchanged).
 */
interface Run {
  bytes: Buffer;
  block: Buffer;
  inserted: number;
  exact: boolean;
}

/** Runs kept per connection: responses of a few kinds (sizes, types) alternate; more kinds only miss. */
const RUNS = 8;

/** Encodes the response header blocks of one connection; it owns the table the client mirrors. */
export class HpackEncoder {
  /** lines by the hash of their bytes (one per hash: a colliding line is just encoded) */
  private readonly lines = new Map<number, Line>();
  private literals = 0;
  /** the table's lines, oldest first, and their entry sizes */
  private readonly fifo: Line[] = [];
  private readonly sizes: number[] = [];
  private inserted = 0;
  private size = 0;
  private max = TABLE_BYTES;
  /** a table size the client must be told at the start of the next block (-1: none) */
  private sizeUpdate = -1;
  /** heads' starts already encoded: the same bytes again are one compare and one copy */
  private runs: Run[] = [];
  private nextRun = 0;
  /** per-response names (by a hash of their bytes) and their encoded start */
  private readonly names = new Map<number, { name: Buffer; encoded: Buffer }>();
  /** the line `line()` just wrote was a per-response one */
  private perResponse = false;

  /** The client's SETTINGS_HEADER_TABLE_SIZE: a smaller one shrinks the table and is signalled. */
  peerTableSize(v: number): void {
    const use = Math.min(v, TABLE_BYTES);
    if (use === this.max) return;
    this.max = use;
    this.evict(use);
    this.sizeUpdate = use;
    this.runs = [];
  }

  /**
   * Writes the block for the engine's HTTP/1 response head in `head[from, to)`
   * (without its blank line) at `out[at]`, which has `encodedBound(to - from)`
   * bytes of room; returns the offset after it. The status line becomes
   * `:status`, names are lower-cased, connection-specific fields are left out.
   */
  encode(head: Buffer, from: number, to: number, out: Buffer, at: number): number {
    if (this.sizeUpdate >= 0) {
      at = putInt(out, at, this.sizeUpdate, 5, 0x20);
      this.sizeUpdate = -1;
    }
    for (const run of this.runs) {
      const n = run.bytes.length;
      if (
        run.inserted === this.inserted &&
        (run.exact ? to - from === n : to - from > n) &&
        head.compare(run.bytes, 0, n, from, from + n) === 0
      ) {
        out.set(run.block, at);
        return this.encodeLines(head, from + n, to, out, at + run.block.length, -1);
      }
    }
    const start = at;
    const status = (head[from + 9]! - 48) * 100 + (head[from + 10]! - 48) * 10 + (head[from + 11]! - 48);
    const idx = STATUS_INDEX[status];
    if (idx) out[at++] = 0x80 | idx;
    else {
      out[at++] = 0x08; // literal without indexing, name :status (8)
      at = putStr(out, at, String(status));
    }
    let i = from + 12;
    while (i < to && head[i] !== 10) i++;
    return this.encodeLines(head, i + 1, to, out, at, start, from);
  }

  /**
   * Encodes the lines of `head[line, to)`. With `start` >= 0 (a head encoded
   * whole from `head[from]` into `out[start]`), its start is kept as a run
   * when the table did not change on the way.
   */
  private encodeLines(
    head: Buffer,
    line: number,
    to: number,
    out: Buffer,
    at: number,
    start: number,
    from = 0,
  ): number {
    const inserted = this.inserted;
    let runEnd = -1;
    let runAt = -1;
    while (line < to) {
      let h = 0x811c9dc5;
      let end = line;
      for (; end < to; end++) {
        const b = head[end]!;
        if (b === 13) break;
        h = Math.imul(h ^ b, 0x01000193);
      }
      const before = at;
      this.perResponse = false;
      at = this.line(head, line, end, h, out, at);
      if (this.perResponse && runEnd < 0) {
        runEnd = line;
        runAt = before;
      }
      line = end + 2;
    }
    if (start >= 0 && this.inserted === inserted) {
      const exact = runEnd < 0;
      this.runs[this.nextRun] = {
        bytes: Buffer.from(head.subarray(from, exact ? to : runEnd)),
        block: Buffer.from(out.subarray(start, exact ? at : runAt)),
        inserted,
        exact,
      };
      this.nextRun = (this.nextRun + 1) % RUNS;
    }
    return at;
  }

  private line(head: Buffer, from: number, to: number, hash: number, out: Buffer, at: number): number {
    const len = to - from;
    const known = this.lines.get(hash);
    if (known && known.bytes.length === len && head.compare(known.bytes, 0, len, from, to) === 0) {
      if (known.seq >= 0) return putInt(out, at, STATIC_LENGTH + 1 + this.inserted - known.seq, 7, 0x80);
      if (known.literal) {
        out.set(known.literal, at);
        at += known.literal.length;
      }
      return at;
    }
    const quick = this.perResponseLine(head, from, to, out, at);
    if (quick >= 0) return quick;
    const text = head.latin1Slice(from, to);
    const colon = text.indexOf(":");
    if (colon <= 0) return at;
    const name = text.slice(0, colon).toLowerCase();
    if (HOP_BY_HOP.has(name)) {
      this.remember(hash, head, from, to, -1, null);
      return at;
    }
    const value = text.slice(colon + 1).trim();
    const bytes = name.length + value.length + 32;
    const perResponse = PER_RESPONSE.has(name);
    this.perResponse = perResponse;
    const index = staticName.get(name);
    const start = at;
    if (perResponse || UNINDEXED.has(name) || bytes > this.max / 2) {
      // Literal without indexing (0000), or never indexed (0001) for cookies.
      const high = name === "set-cookie" ? 0x10 : 0;
      if (index) at = putInt(out, at, index, 4, high);
      else {
        out[at++] = high;
        at = putStr(out, at, name);
      }
      if (perResponse) this.rememberName(head, from, from + colon, out.subarray(start, at));
      at = putStr(out, at, value);
      if (!perResponse) this.remember(hash, head, from, to, -1, Buffer.from(out.subarray(start, at)));
      return at;
    }
    // Literal with incremental indexing (01): the client adds it to its table as we do here.
    if (index) at = putInt(out, at, index, 6, 0x40);
    else {
      out[at++] = 0x40;
      at = putStr(out, at, name);
    }
    at = putStr(out, at, value);
    this.evict(this.max - bytes);
    const entry = this.remember(hash, head, from, to, ++this.inserted, null);
    this.fifo.push(entry);
    this.sizes.push(bytes);
    this.size += bytes;
    return at;
  }

  /**
   * A per-response line (request id, cookie) whose name was seen before:
   * the name's ready bytes and the value copied as it is, no string made.
   * -1 when the line is not one (or its value has spaces to trim).
   */
  private perResponseLine(head: Buffer, from: number, to: number, out: Buffer, at: number): number {
    if (this.names.size === 0) return -1;
    const colon = head.indexOf(58, from);
    if (colon <= from || colon + 2 >= to || head[colon + 1] !== 32) return -1;
    if (isSpace(head[colon + 2]!) || isSpace(head[to - 1]!)) return -1;
    const known = this.names.get(nameHash(head, from, colon));
    if (
      !known ||
      known.name.length !== colon - from ||
      head.compare(known.name, 0, colon - from, from, colon) !== 0
    )
      return -1;
    out.set(known.encoded, at);
    at = putInt(out, at + known.encoded.length, to - colon - 2, 7, 0);
    this.perResponse = true;
    return at + head.copy(out, at, colon + 2, to);
  }

  private rememberName(head: Buffer, from: number, colon: number, encoded: Uint8Array): void {
    if (this.names.size >= 16) this.names.clear();
    this.names.set(nameHash(head, from, colon), {
      name: Buffer.from(head.subarray(from, colon)),
      encoded: Buffer.from(encoded),
    });
  }

  private remember(
    hash: number,
    head: Buffer,
    from: number,
    to: number,
    seq: number,
    literal: Buffer | null,
  ): Line {
    if (seq < 0 && ++this.literals > MAX_LITERALS) {
      for (const [h, l] of this.lines) if (l.seq < 0) this.lines.delete(h);
      this.literals = 1;
    }
    const line: Line = { hash, bytes: Buffer.from(head.subarray(from, to)), seq, literal };
    this.lines.set(hash, line);
    return line;
  }

  /** Drops the oldest entries until the table holds at most `limit` bytes (§4.4). */
  private evict(limit: number): void {
    while (this.size > limit && this.fifo.length) {
      const gone = this.fifo.shift()!;
      gone.seq = -1;
      if (this.lines.get(gone.hash) === gone) this.lines.delete(gone.hash);
      this.size -= this.sizes.shift()!;
    }
  }
}
