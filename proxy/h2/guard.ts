/**
 * A frame guard in front of the HTTP/2 parser: it reads only the 9-byte frame
 * headers of what a client sends (payloads are skipped, never copied) and
 * counts what the floods of the known HTTP/2 attacks are made of, so the
 * connection is cut before the parser or the proxy does the work:
 * - rapid reset (CVE-2023-44487): streams opened and cancelled at once slip
 *   past the concurrent-stream limit; RST_STREAM frames per second are capped;
 * - CONTINUATION flood (CVE-2024-27316): a header block that never ends; the
 *   bytes and frames of one block are capped, whatever the parser buffers;
 * - control-frame floods (PING, SETTINGS, PRIORITY, WINDOW_UPDATE, empty DATA
 *   and empty CONTINUATION frames: work for the server, nothing for a request)
 *   per second.
 */

/** The limits a guard enforces (`PROXY_H2_*`). */
export interface GuardLimits {
  /** RST_STREAM frames a client may send per second */
  maxResetsPerSecond: number;
  /** PING/SETTINGS/PRIORITY/WINDOW_UPDATE/empty frames per second */
  maxControlPerSecond: number;
  /** bytes of one header block (HEADERS plus its CONTINUATIONs) on the wire */
  maxHeaderBlockBytes: number;
  /** CONTINUATION frames in one header block */
  maxContinuations: number;
  /** largest frame payload accepted (the SETTINGS_MAX_FRAME_SIZE the proxy advertises) */
  maxFrameBytes: number;
}

const PREFACE_BYTES = 24;
const T_DATA = 0;
const T_HEADERS = 1;
const T_PRIORITY = 2;
const T_RST_STREAM = 3;
const T_SETTINGS = 4;
const T_PUSH_PROMISE = 5;
const T_PING = 6;
const T_WINDOW_UPDATE = 8;
const T_CONTINUATION = 9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const ACK = 0x1;

/** Why a connection was cut; `null` while it behaves. */
export type GuardVerdict = "rapid-reset" | "continuation-flood" | "control-flood" | "protocol" | null;

/** Why the sweep closes a connection (or resets a stream) on its own. */
export type SweepVerdict = "stalled" | "idle" | "header-timeout";

/** Per-connection frame accounting (one per HTTP/2 connection). */
export class FrameGuard {
  /** preface bytes still to skip */
  private preface = PREFACE_BYTES;
  /** payload bytes of the current frame still to skip */
  private skip = 0;
  /** a frame header split across reads */
  private partial = Buffer.alloc(9);
  private partialLen = 0;
  private inBlock = false;
  /** when the header block in progress began (its HEADERS frame), 0 when none is open */
  blockSince = 0;
  private blockBytes = 0;
  private blockFrames = 0;
  private windowStart = 0;
  private resets = 0;
  private control = 0;
  private now = 0;
  /** the first violation, kept: every later read gets the same answer */
  verdict: GuardVerdict = null;

  constructor(private readonly limits: GuardLimits) {}

  /** Accounts for `buf` (the next bytes from the client) at time `now` (ms); the verdict after it. */
  feed(buf: Uint8Array, now: number): GuardVerdict {
    if (this.verdict) return this.verdict;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.resets = 0;
      this.control = 0;
    }
    let at = 0;
    if (this.preface > 0) {
      const n = Math.min(this.preface, buf.length);
      this.preface -= n;
      at = n;
    }
    this.now = now;
    while (at < buf.length && !this.verdict) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      if (this.partialLen > 0 || buf.length - at < 9) {
        const n = Math.min(9 - this.partialLen, buf.length - at);
        this.partial.set(buf.subarray(at, at + n), this.partialLen);
        this.partialLen += n;
        at += n;
        if (this.partialLen < 9) break;
        this.partialLen = 0;
        this.frame(this.partial, 0);
      } else {
        this.frame(buf, at);
        at += 9;
      }
    }
    return this.verdict;
  }

  /** One frame header at `h[at, at+9)`. */
  private frame(h: Uint8Array, at: number): void {
    const length = (h[at]! << 16) | (h[at + 1]! << 8) | h[at + 2]!;
    const type = h[at + 3]!;
    const flags = h[at + 4]!;
    this.skip = length;
    const lim = this.limits;
    if (length > lim.maxFrameBytes) {
      this.verdict = "protocol";
      return;
    }
    if (this.inBlock && type !== T_CONTINUATION) {
      this.verdict = "protocol"; // RFC 9113 §6.10: nothing may come between a block's frames
      return;
    }
    switch (type) {
      case T_HEADERS:
        this.inBlock = (flags & END_HEADERS) === 0;
        this.blockSince = this.inBlock ? this.now : 0;
        this.blockBytes = length;
        this.blockFrames = 0;
        break;
      case T_CONTINUATION:
        if (!this.inBlock) {
          this.verdict = "protocol";
          return;
        }
        this.blockBytes += length;
        this.blockFrames++;
        if (this.blockBytes > lim.maxHeaderBlockBytes || this.blockFrames > lim.maxContinuations)
          this.verdict = "continuation-flood";
        if (flags & END_HEADERS) {
          this.inBlock = false;
          this.blockSince = 0;
        }
        break;
      case T_RST_STREAM:
        if (++this.resets > lim.maxResetsPerSecond) this.verdict = "rapid-reset";
        break;
      case T_DATA:
        if (length === 0 && (flags & END_STREAM) === 0) this.countControl();
        break;
      case T_SETTINGS:
      case T_PING:
        if ((flags & ACK) === 0) this.countControl();
        break;
      case T_PRIORITY:
      case T_WINDOW_UPDATE:
        this.countControl();
        break;
      case T_PUSH_PROMISE:
        this.verdict = "protocol"; // only servers push
        break;
    }
  }

  private countControl(): void {
    if (++this.control > this.limits.maxControlPerSecond) this.verdict = "control-flood";
  }
}
