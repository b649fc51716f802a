import type { Socket } from "bun";
import { clientClosed } from "../engine/client.ts";
import type { Client, EngineState, H2Link } from "../engine/state.ts";
import { E, F, frame, PREFACE, settingsFrame, T, wordsFrame } from "./frames.ts";
import { FrameGuard, type GuardLimits, type GuardVerdict, type SweepVerdict } from "./guard.ts";
import { type Field, HpackDecoder, HpackError } from "./hpack.ts";
import { openStream } from "./native-open.ts";
import { FrameSender, MAX_FRAME } from "./native-send.ts";
import { NativeStream, type StreamOwner } from "./native-stream.ts";

/**
 * The native HTTP/2 layer (default; `PROXY_H2_IMPL=native`): frames and HPACK
 * of our own over the Bun socket the engine accepted, no node:http2. The frame
 * guard (`guard.ts`) sees the bytes first, as before; each stream is a client
 * record of the engine (`native-stream.ts`). Frames written in one turn of the
 * event loop leave in one socket write.
 */

const CONN_WINDOW = 16 * 1024 * 1024;

/** One HTTP/2 connection. */
export class NativeConnection extends FrameSender implements H2Link, StreamOwner {
  readonly guard: FrameGuard;
  readonly streams = new Map<number, NativeStream>();
  lastActive: number;
  private readonly decoder = new HpackDecoder();
  private inbuf: Buffer | null = null;
  private prefaceLeft = PREFACE.length;
  // header block in progress
  private blockId = 0;
  private blockFlags = 0;
  private blockParts: Buffer[] = [];
  private lastId = 0;
  private goingAway = false;
  // receiving
  private recvCredit = 0;

  constructor(
    readonly st: EngineState,
    readonly c: Client,
    readonly sock: Socket<Client>,
    limits: GuardLimits,
  ) {
    super();
    this.guard = new FrameGuard(limits);
    this.lastActive = st.clock;
    const h = st.core.cfg.h2;
    this.send(
      settingsFrame([
        [2, 0], // ENABLE_PUSH
        [3, h.maxStreams],
        [4, h.windowBytes],
        [6, h.maxHeaderListBytes],
      ]),
    );
    this.send(wordsFrame(T.WINDOW_UPDATE, 0, CONN_WINDOW - 65_535));
  }

  // ---- H2Link ----

  data(buf: Buffer): void {
    if (this.cut) return;
    const verdict = this.guard.feed(buf, this.st.clock);
    if (verdict) {
      this.kill(verdict);
      return;
    }
    let b = this.inbuf ? Buffer.concat([this.inbuf, buf]) : buf;
    this.inbuf = null;
    let at = 0;
    if (this.prefaceLeft > 0) {
      const n = Math.min(this.prefaceLeft, b.length);
      const off = PREFACE.length - this.prefaceLeft;
      if (!b.subarray(0, n).equals(PREFACE.subarray(off, off + n))) {
        this.kill("protocol");
        return;
      }
      this.prefaceLeft -= n;
      at = n;
    }
    while (!this.cut && b.length - at >= 9) {
      const len = (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
      if (b.length - at < 9 + len) break;
      const type = b[at + 3]!;
      const flags = b[at + 4]!;
      const id = b.readUInt32BE(at + 5) & 0x7fffffff;
      this.frame(type, flags, id, b.subarray(at + 9, at + 9 + len));
      at += 9 + len;
    }
    if (at < b.length && !this.cut) {
      // Keep the partial frame: copy only when it sits in a buffer that will be reused.
      b = b.subarray(at);
      this.inbuf = Buffer.from(b);
    }
  }

  closed(): void {
    if (!this.cut) this.cut = true;
    this.st.core.metrics.h2Connections--;
    for (const s of [...this.streams.values()]) this.forget(s);
    this.outLen = 0;
    this.writes++;
    this.release();
    this.rest = null;
  }

  shutdown(): void {
    if (this.goingAway) return;
    this.goingAway = true;
    this.send(wordsFrame(T.GOAWAY, 0, this.lastId, E.NO_ERROR));
    if (this.streams.size === 0) this.closeSoon();
  }

  /** Cuts a misbehaving connection: GOAWAY (ENHANCE_YOUR_CALM) if it can still be written, then close. */
  kill(reason: Exclude<GuardVerdict, null> | SweepVerdict | "compression"): void {
    if (this.cut) return;
    if (reason !== "idle") {
      this.st.core.metrics.h2Cut.inc({ reason: reason === "compression" ? "protocol" : reason });
      this.st.core.logger.warn("http/2 connection cut", { reason, ip: this.c.ip });
    }
    const code =
      reason === "idle"
        ? E.NO_ERROR
        : reason === "protocol"
          ? E.PROTOCOL_ERROR
          : reason === "compression"
            ? E.COMPRESSION_ERROR
            : E.ENHANCE_YOUR_CALM;
    this.send(wordsFrame(T.GOAWAY, 0, this.lastId, code));
    this.flush();
    this.cut = true;
    for (const s of [...this.streams.values()]) {
      s.ended = true;
      this.forget(s);
    }
    this.closeSoon();
  }

  /**
   * Closes the socket once the last frames (GOAWAY) had a moment to leave.
   * Outright: a TLS `end()` here was seen to wait on a peer that never answered.
   */
  closeSoon(): void {
    const sock = this.sock;
    setTimeout(() => sock.terminate(), 50).unref();
  }

  // ---- frames in ----

  private frame(type: number, flags: number, id: number, p: Buffer): void {
    if (this.blockId && type !== T.CONTINUATION) {
      this.kill("protocol");
      return;
    }
    switch (type) {
      case T.DATA: {
        this.onData(flags, id, p);
        return;
      }
      case T.HEADERS: {
        this.onHeaders(flags, id, p);
        return;
      }
      case T.CONTINUATION:
        if (id !== this.blockId) {
          this.kill("protocol");
          return;
        }
        this.blockParts.push(p);
        if (flags & F.END_HEADERS) this.endBlock();
        return;
      case T.RST_STREAM: {
        const s = this.streams.get(id);
        if (s) {
          s.ended = true;
          this.forget(s);
        }
        return;
      }
      case T.SETTINGS:
        if (flags & F.ACK) return;
        if (id !== 0 || p.length % 6) {
          this.kill("protocol");
          return;
        }
        {
          this.onSettings(p);
          return;
        }
      case T.PING:
        if (flags & F.ACK) return;
        if (p.length !== 8) {
          this.kill("protocol");
          return;
        }
        this.send(frame(T.PING, F.ACK, 0, p));
        return;
      case T.GOAWAY:
        this.goingAway = true;
        if (this.streams.size === 0) this.closeSoon();
        return;
      case T.WINDOW_UPDATE: {
        this.onWindowUpdate(id, p);
        return;
      }
      default:
        return; // PRIORITY and unknown types are ignored (§5.5)
    }
  }

  private onSettings(p: Buffer): void {
    for (let i = 0; i + 6 <= p.length; i += 6) {
      const key = p.readUInt16BE(i);
      const v = p.readUInt32BE(i + 2);
      if (key === 1) this.encoder.peerTableSize(v);
      else if (key === 4) {
        if (v > 0x7fffffff) {
          this.kill("protocol");
          return;
        }
        const delta = v - this.peerInitialWindow;
        this.peerInitialWindow = v;
        for (const s of this.streams.values()) {
          s.sendWindow += delta;
          if (s.queued || s.ended) this.wake(s);
        }
      } else if (key === 5) {
        if (v < MAX_FRAME || v > 16_777_215) {
          this.kill("protocol");
          return;
        }
        this.peerMaxFrame = v;
      }
    }
    this.send(frame(T.SETTINGS, F.ACK, 0));
  }

  private onWindowUpdate(id: number, p: Buffer): void {
    if (p.length !== 4) {
      this.kill("protocol");
      return;
    }
    const inc = p.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      this.sendWindow += inc;
      for (const s of this.streams.values()) if (s.queued) this.wake(s);
      return;
    }
    const s = this.streams.get(id);
    if (!s) return;
    s.sendWindow += inc;
    if (s.queued || s.ended) this.wake(s);
  }

  private onData(flags: number, id: number, p: Buffer): void {
    if (id === 0) {
      this.kill("protocol");
      return;
    }
    this.credit(p.length);
    let body = p;
    if (flags & F.PADDED) {
      const pad = p[0] ?? 0;
      if (pad >= p.length) {
        this.kill("protocol");
        return;
      }
      body = p.subarray(1, p.length - pad);
    }
    const s = this.streams.get(id);
    if (!s) {
      if (id > this.lastId) this.kill("protocol");
      return;
    }
    if (s.remoteEnded) {
      this.reset(s, E.STREAM_CLOSED);
      return;
    }
    if (body.length) s.body(Buffer.from(body));
    if (flags & F.END_STREAM) s.bodyEnd();
  }

  /** Connection-level receive credit: returned in WINDOW_UPDATEs once half the window is used. */
  private credit(n: number): void {
    this.recvCredit += n;
    if (this.recvCredit >= CONN_WINDOW / 2) {
      this.send(wordsFrame(T.WINDOW_UPDATE, 0, this.recvCredit));
      this.recvCredit = 0;
    }
  }

  private onHeaders(flags: number, id: number, p: Buffer): void {
    if (id === 0 || (id & 1) === 0) {
      this.kill("protocol");
      return;
    }
    let block = p;
    let from = 0;
    let pad = 0;
    if (flags & F.PADDED) {
      pad = p[0] ?? 0;
      from = 1;
    }
    if (flags & F.PRIORITY) from += 5;
    if (from + pad > p.length) {
      this.kill("protocol");
      return;
    }
    block = p.subarray(from, p.length - pad);
    this.blockId = id;
    this.blockFlags = flags;
    this.blockParts = [block];
    if (flags & F.END_HEADERS) this.endBlock();
  }

  private endBlock(): void {
    const id = this.blockId;
    const flags = this.blockFlags;
    const parts = this.blockParts;
    this.blockId = 0;
    this.blockParts = [];
    const block = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    let fields: Field[] | null;
    try {
      fields = this.decoder.decode(block, this.st.core.cfg.h2.maxHeaderListBytes);
    } catch (e) {
      if (e instanceof HpackError) {
        this.kill("compression");
        return;
      }
      throw e;
    }
    const endStream = (flags & F.END_STREAM) !== 0;
    const known = this.streams.get(id);
    if (known) {
      // Trailers: their fields are not passed on (HTTP/1.0 has none); they may end the body.
      if (!endStream) {
        this.reset(known, E.PROTOCOL_ERROR);
        return;
      }
      known.bodyEnd();
      return;
    }
    if (id <= this.lastId) {
      this.kill("protocol");
      return;
    }
    this.lastId = id;
    if (this.goingAway || this.streams.size >= this.st.core.cfg.h2.maxStreams || this.overMemory()) {
      this.send(wordsFrame(T.RST_STREAM, id, E.REFUSED_STREAM));
      return;
    }
    const s = new NativeStream(this, id, this.c.ip, this.peerInitialWindow, this.st.scratch.buffer);
    this.streams.set(id, s);
    this.lastActive = this.st.clock;
    openStream(this.st, this.c, s, fields, endStream);
  }

  private overMemory(): boolean {
    let bytes = this.outLen + (this.rest ? this.rest.length : 0);
    for (const s of this.streams.values()) bytes += s.queued;
    return bytes > this.st.core.cfg.h2.sessionMemoryMb * 1024 * 1024;
  }

  // ---- StreamOwner ----

  reset(s: NativeStream, code: number): void {
    if (s.done) return;
    if (!this.cut) this.send(wordsFrame(T.RST_STREAM, s.id, code));
    this.forget(s);
  }

  consumed(s: NativeStream, bytes: number): void {
    if (s.done || s.remoteEnded) return;
    s.recvCredit += bytes;
    if (s.recvCredit >= this.st.core.cfg.h2.windowBytes / 2) {
      this.send(wordsFrame(T.WINDOW_UPDATE, s.id, s.recvCredit));
      s.recvCredit = 0;
    }
  }

  /** The stream is over (sent its end, reset, or the connection went): the engine forgets its client. */
  protected forget(s: NativeStream): void {
    if (s.done) return;
    s.done = true;
    s.queue = [];
    s.queued = 0;
    this.streams.delete(s.id);
    this.waking.delete(s);
    this.lastActive = this.st.clock;
    clientClosed(this.st, s.data);
    if (this.goingAway && this.streams.size === 0 && !this.cut) this.closeSoon();
  }
}
