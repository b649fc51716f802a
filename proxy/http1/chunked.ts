import { HttpParseError } from "./scan.ts";

/** Chunked transfer coding (RFC 9112 §7.1): validated as it streams, decoded when asked. */

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
