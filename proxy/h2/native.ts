import type { Socket } from "bun";
import { clientClosed, clientDrained } from "../engine/client.ts";
import type { Client, EngineState, H2Link } from "../engine/state.ts";
import type { H2Front } from "./connection.ts";
import {
  E,
  F,
  frame,
  headersFrames,
  PREFACE,
  putFrameHeader,
  settingsFrame,
  T,
  wordsFrame,
} from "./frames.ts";
import { FrameGuard, type GuardLimits, type GuardVerdict, type SweepVerdict } from "./guard.ts";
import { type Field, HpackDecoder, HpackError } from "./hpack.ts";
import { openStream } from "./native-open.ts";
import { NativeStream, type StreamOwner } from "./native-stream.ts";

/**
 * The native HTTP/2 layer (default; `PROXY_H2_IMPL=native`): frames and HPACK
 * of our own over the Bun socket the engine accepted, no node:http2. The frame
 * guard (`guard.ts`) sees the bytes first, as before; each stream is a client
 * record of the engine (`native-stream.ts`). Frames written in one turn of the
 * event loop leave in one socket write.
 */

const CONN_WINDOW = 16 * 1024 * 1024;
const MAX_FRAME = 16_384;

/** One HTTP/2 connection. */
export class NativeConnection implements H2Link, StreamOwner {
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
  private cut = false;
  // sending
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private scheduled = false;
  private rest: Buffer | null = null;
  private readonly waking = new Set<NativeStream>();
  private sendWindow = 65_535;
  private peerInitialWindow = 65_535;
  private peerMaxFrame = MAX_FRAME;
  // receiving
  private recvCredit = 0;
  private readonly flushNow = () => this.flush();

  constructor(
    readonly st: EngineState,
    readonly c: Client,
    readonly sock: Socket<Client>,
    limits: GuardLimits,
  ) {
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

  closed(): void {
    if (!this.cut) this.cut = true;
    this.st.core.metrics.h2Connections--;
    for (const s of [...this.streams.values()]) this.forget(s);
    this.batch = [];
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
      if (key === 4) {
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
    let bytes = this.rest ? this.rest.length : 0;
    for (const s of this.streams.values()) bytes += s.queued;
    return bytes > this.st.core.cfg.h2.sessionMemoryMb * 1024 * 1024;
  }

  // ---- StreamOwner ----

  sendHeaders(s: NativeStream, block: Uint8Array): void {
    this.send(headersFrames(s.id, block, false, this.peerMaxFrame));
  }

  wake(s: NativeStream): void {
    this.waking.add(s);
    this.schedule();
  }

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
  private forget(s: NativeStream): void {
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

  // ---- frames out ----

  private send(b: Buffer): void {
    if (this.cut) return;
    this.batch.push(b);
    this.batchBytes += b.length;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flushNow);
  }

  /** Moves what the windows allow from the streams into the batch and writes the batch. */
  private flush(): void {
    this.scheduled = false;
    if (this.cut && !this.batch.length) return;
    if (!this.rest) this.pump();
    if (this.rest || this.batch.length === 0) return;
    const data = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    const n = Math.max(0, this.sock.write(data));
    if (n < data.length) this.rest = data.subarray(n);
  }

  private pump(): void {
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
  private finish(s: NativeStream): void {
    s.ended = true;
    // The client may still be sending a body nobody reads now: tell it to stop (§8.1).
    if (!s.remoteEnded) this.send(wordsFrame(T.RST_STREAM, s.id, E.NO_ERROR));
    this.forget(s);
  }
}

/** Builds the native HTTP/2 front of an engine. */
export function createNativeH2Front(st: EngineState): H2Front {
  const cfg = () => st.core.cfg.h2;
  const connections = new Set<NativeConnection>();
  const sweeper = setInterval(() => {
    const now = st.clock;
    const { clientIdleMs, headerMs } = st.core.cfg.timeouts;
    const { sendTimeoutMs } = cfg();
    const wall = Date.now();
    for (const conn of connections) {
      if (conn.c.closed) {
        connections.delete(conn);
        continue;
      }
      // A header block left open (HEADERS without its last CONTINUATION): a slow-loris over HTTP/2.
      const since = conn.guard.blockSince;
      if (since && now - since > headerMs) conn.kill("header-timeout");
      if (conn.streams.size === 0 && now - conn.lastActive > clientIdleMs) conn.kill("idle");
      // A response that cannot leave because the client keeps its window shut holds memory.
      for (const s of [...conn.streams.values()]) {
        if (s.blockedSince && wall - s.blockedSince > sendTimeoutMs) {
          st.core.metrics.h2Cut.inc({ reason: "stalled" });
          s.cancel();
        }
      }
    }
  }, 1000);
  sweeper.unref();
  return {
    attach(c, sock) {
      const h = cfg();
      sock.setNoDelay(true);
      const conn = new NativeConnection(st, c, sock, {
        maxResetsPerSecond: h.maxResetsPerSecond,
        maxControlPerSecond: h.maxControlPerSecond,
        maxHeaderBlockBytes: h.maxHeaderListBytes + 4096,
        maxContinuations: h.maxContinuations,
        maxFrameBytes: MAX_FRAME,
      });
      c.h2 = conn;
      st.core.metrics.h2Connections++;
      connections.add(conn);
    },
    close() {
      clearInterval(sweeper);
    },
  };
}
