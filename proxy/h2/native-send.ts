import type { Socket } from "bun";
import { clientDrained } from "../engine/client.ts";
import type { Client, EngineState } from "../engine/state.ts";
import { E, F, frame, headersFrames, putFrameHeader, T, wordsFrame } from "./frames.ts";
import type { NativeStream } from "./native-stream.ts";

/** The largest frame payload either side uses unless the client allows more (SETTINGS_MAX_FRAME_SIZE). */
export const MAX_FRAME = 16_384;

/** Bytes waiting after which a connection flushes without waiting for the end of the turn. */
const FLUSH_EARLY = 64 * 1024;

/**
 * The sending half of a native HTTP/2 connection (`native.ts`): frames queued
 * in one turn of the event loop (up to 64 KiB) leave in one socket write; DATA moves from the
 * streams' queues as the connection's and the streams' send windows allow;
 * a stream whose queue went down is told to go on (`drain` of the engine).
 */
export abstract class FrameSender {
  abstract readonly st: EngineState;
  abstract readonly sock: Socket<Client>;
  protected cut = false;
  protected batch: Buffer[] = [];
  protected batchBytes = 0;
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

  sendHeaders(s: NativeStream, block: Uint8Array): void {
    this.send(headersFrames(s.id, block, false, this.peerMaxFrame));
  }

  /** `s` has DATA (`bytes` more) or its end to send. */
  wake(s: NativeStream, bytes = 0): void {
    this.waking.add(s);
    this.waitingBytes += bytes;
    this.schedule();
  }

  protected send(b: Buffer): void {
    if (this.cut) return;
    this.batch.push(b);
    this.batchBytes += b.length;
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
    if (this.batchBytes + this.waitingBytes >= FLUSH_EARLY) {
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

  /** Moves what the windows allow from the streams into the batch and writes the batch. */
  protected flush(): void {
    this.waitingBytes = 0;
    if (this.cut && !this.batch.length) return;
    if (!this.rest) this.pump();
    if (this.rest || this.batch.length === 0) return;
    const data = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    const n = Math.max(0, this.sock.write(data));
    if (n < data.length) this.rest = data.subarray(n);
  }

  protected pump(): void {
    if (this.waking.size === 0) return;
    const drained: NativeStream[] = [];
    for (const s of this.waking) {
      while (s.queued > 0 && s.sendWindow > 0 && this.sendWindow > 0) {
        const chunk = s.queue[0]!;
        const n = Math.min(chunk.length, s.sendWindow, this.sendWindow, this.peerMaxFrame);
        const last = n === chunk.length && s.queue.length === 1 && s.ended;
        // The frame header and the bytes go into the batch apart: the batch's one concat is the only copy.
        const header = Buffer.allocUnsafe(9);
        putFrameHeader(header, 0, n, T.DATA, last ? F.END_STREAM : 0, s.id);
        this.batch.push(header, n === chunk.length ? chunk : chunk.subarray(0, n));
        this.batchBytes += 9 + n;
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
        this.send(frame(T.DATA, F.END_STREAM, s.id));
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
