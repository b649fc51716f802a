import type { Socket } from "bun";
import { clientDrained } from "../engine/client.ts";
import type { Client, EngineState } from "../engine/state.ts";
import { E, F, frame, headersFrames, putFrameHeader, T, wordsFrame } from "./frames.ts";
import { encodedBound, HpackEncoder } from "./hpack-encoder.ts";
import type { NativeStream } from "./native-stream.ts";

/** The largest frame payload either side uses unless the client allows more (SETTINGS_MAX_FRAME_SIZE). */
export const MAX_FRAME = 16_384;

/** Bytes waiting after which a connection flushes without waiting for the end of the turn. */
const FLUSH_EARLY = 64 * 1024;

/** The first size of a connection's frame buffer, and the most it keeps after a write. */
const OUT_FIRST = 16 * 1024;
const OUT_KEEP = 256 * 1024;
const NONE = Buffer.alloc(0);

/**
 * The sending half of a native HTTP/2 connection (`native.ts`): frames are
 * written straight into one buffer per connection (HEADERS encoded in place,
 * DATA copied once from the engine's bytes when the windows allow), and
 * what gathered in one turn of the event loop (up to 64 KiB) leaves in one
 * socket write. DATA the windows hold back waits in the stream's queue; a
 * stream whose queue went down is told to go on (`drain` of the engine).
 */
export abstract class FrameSender {
  abstract readonly st: EngineState;
  abstract readonly sock: Socket<Client>;
  protected cut = false;
  /** frames waiting to be written: out[0, outLen) */
  protected out: Buffer = NONE;
  protected outLen = 0;
  /** counts the writes of `out`: a frame's offset in it holds while this is unchanged */
  protected writes = 0;
  /** a flush is due at the end of this turn of the event loop (setImmediate) */
  protected scheduled = false;
  /** a flush is due after the current callback (enough bytes are waiting) */
  protected soon = false;
  /** DATA bytes streams queued since the last flush */
  protected waitingBytes = 0;
  /** bytes the socket did not take; nothing more is written until it drains */
  protected rest: Buffer | null = null;
  /** streams with DATA (or their end) to send */
  protected readonly waking = new Set<NativeStream>();
  protected readonly encoder = new HpackEncoder();
  protected sendWindow = 65_535;
  protected peerInitialWindow = 65_535;
  protected peerMaxFrame = MAX_FRAME;
  protected readonly flushLater = () => {
    this.scheduled = false;
    this.flush();
  };
  protected readonly flushSoon = () => {
    this.soon = false;
    this.flush();
  };

  /** The stream is over: the engine forgets its client. */
  protected abstract forget(s: NativeStream): void;

  drain(): void {
    if (!this.rest) return;
    const rest = this.rest;
    const n = Math.max(0, this.sock.write(rest));
    if (n < rest.length) {
      this.rest = rest.subarray(n);
      return;
    }
    this.rest = null;
    this.schedule();
  }

  /** Queues the HEADERS of a response whose HTTP/1 head (without its blank line) is `head[from, to)`. */
  sendHead(s: NativeStream, head: Buffer, from: number, to: number): void {
    if (this.cut) return;
    const out = this.room(9 + encodedBound(to - from));
    const at = this.outLen;
    // Encoded now, in the order the frames leave: the client's table follows ours block by block.
    const end = this.encoder.encode(head, from, to, out, at + 9);
    const len = end - at - 9;
    if (len <= this.peerMaxFrame) {
      putFrameHeader(out, at, len, T.HEADERS, F.END_HEADERS, s.id);
      this.outLen = end;
      this.schedule();
    } else this.send(headersFrames(s.id, Buffer.from(out.subarray(at + 9, end)), false, this.peerMaxFrame));
    this.framed(s, at);
  }

  /**
   * Frames `buf[off, off + len)` as DATA of `s` straight into the buffer, as
   * far as the windows allow; returns the bytes taken (the stream queues the
   * rest). Nothing is taken while the stream has a queue or the socket has not
   * drained, so the order holds and the buffer does not grow unbounded.
   */
  sendData(s: NativeStream, buf: Buffer, off: number, len: number): number {
    if (this.cut || this.rest || s.queued > 0) return 0;
    const n = Math.min(len, s.sendWindow, this.sendWindow);
    if (n <= 0) return 0;
    const max = this.peerMaxFrame;
    const out = this.room(n + 9 * Math.ceil(n / max));
    for (let done = 0; done < n; ) {
      const k = Math.min(n - done, max);
      this.framed(s, this.outLen);
      putFrameHeader(out, this.outLen, k, T.DATA, 0, s.id);
      buf.copy(out, this.outLen + 9, off + done, off + done + k);
      this.outLen += 9 + k;
      done += k;
    }
    s.sendWindow -= n;
    this.sendWindow -= n;
    this.waitingBytes += n;
    this.schedule();
    return n;
  }

  /**
   * The engine ended the response: END_STREAM goes on the stream's last frame
   * when that is still in the buffer, else on an empty DATA frame after its queue.
   */
  endStream(s: NativeStream): void {
    if (s.queued === 0 && s.lastFrame >= 0 && s.lastFrameWrite === this.writes && !this.cut) {
      this.out[s.lastFrame + 4]! |= F.END_STREAM;
      s.endSent = true;
    }
    this.wake(s);
  }

  /** Forgets the buffer of a connection with nothing to send (an idle connection holds no memory). */
  release(): void {
    if (this.outLen === 0) this.out = NONE;
  }

  /** `s`'s latest frame starts at `out[at]`. */
  private framed(s: NativeStream, at: number): void {
    s.lastFrame = at;
    s.lastFrameWrite = this.writes;
  }

  /** The buffer, with room for `n` more bytes. */
  protected room(n: number): Buffer {
    const need = this.outLen + n;
    if (need > this.out.length) {
      const next = Buffer.allocUnsafe(Math.max(OUT_FIRST, need, 2 * this.out.length));
      this.out.copy(next, 0, 0, this.outLen);
      this.out = next;
    }
    return this.out;
  }

  /** `s` has DATA (`bytes` more) or its end to send. */
  wake(s: NativeStream, bytes = 0): void {
    this.waking.add(s);
    this.waitingBytes += bytes;
    this.schedule();
  }

  protected send(b: Buffer): void {
    if (this.cut) return;
    this.room(b.length).set(b, this.outLen);
    this.outLen += b.length;
    this.schedule();
  }

  /**
   * Frames wait for the end of the event loop's turn (setImmediate), so the
   * responses of every upstream read in that turn leave in one TLS write: a
   * flush per callback (a microtask) cost a TLS record and a syscall per
   * response. Once FLUSH_EARLY bytes are waiting they go after the current
   * callback instead, so a turn of large responses is not one huge copy.
   */
  protected schedule(): void {
    if (this.outLen + this.waitingBytes >= FLUSH_EARLY) {
      if (!this.soon) {
        this.soon = true;
        queueMicrotask(this.flushSoon);
      }
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flushLater);
  }

  /** Moves what the windows allow from the streams' queues into the buffer and writes it. */
  protected flush(): void {
    this.waitingBytes = 0;
    if (this.cut && this.outLen === 0) return;
    if (!this.rest) this.pump();
    if (this.rest || this.outLen === 0) return;
    const len = this.outLen;
    this.outLen = 0;
    this.writes++;
    const n = Math.max(0, this.sock.write(this.out, 0, len));
    if (n < len) this.rest = Buffer.from(this.out.subarray(n, len));
    if (this.out.length > OUT_KEEP) this.out = NONE;
  }

  protected pump(): void {
    if (this.waking.size === 0) return;
    const drained: NativeStream[] = [];
    for (const s of this.waking) {
      while (s.queued > 0 && s.sendWindow > 0 && this.sendWindow > 0) {
        const chunk = s.queue[0]!;
        const n = Math.min(chunk.length, s.sendWindow, this.sendWindow, this.peerMaxFrame);
        const last = n === chunk.length && s.queue.length === 1 && s.ended;
        const out = this.room(9 + n);
        this.framed(s, this.outLen);
        putFrameHeader(out, this.outLen, n, T.DATA, last ? F.END_STREAM : 0, s.id);
        chunk.copy(out, this.outLen + 9, 0, n);
        this.outLen += 9 + n;
        if (n === chunk.length) s.queue.shift();
        else s.queue[0] = chunk.subarray(n);
        s.queued -= n;
        s.sendWindow -= n;
        this.sendWindow -= n;
        if (last) {
          this.finish(s);
          break;
        }
      }
      if (s.done) continue;
      if (s.queued === 0 && s.ended) {
        if (!s.endSent) this.send(frame(T.DATA, F.END_STREAM, s.id));
        this.finish(s);
        continue;
      }
      if (s.queued === 0) s.blockedSince = 0;
      else if (!s.blockedSince) s.blockedSince = Date.now();
      if (s.refused && s.queued < 16_384) drained.push(s);
    }
    for (const s of this.waking) if (s.done || s.queued === 0 || s.sendWindow <= 0) this.waking.delete(s);
    for (const s of drained) {
      s.refused = false;
      clientDrained(this.st, s.data);
    }
  }

  /** END_STREAM went out: the response is complete. */
  protected finish(s: NativeStream): void {
    s.ended = true;
    // The client may still be sending a body nobody reads now: tell it to stop (§8.1).
    if (!s.remoteEnded) this.send(wordsFrame(T.RST_STREAM, s.id, E.NO_ERROR));
    this.forget(s);
  }
}
