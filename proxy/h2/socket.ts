import type { ServerHttp2Stream } from "node:http2";
import { constants } from "node:http2";
import { Duplex } from "node:stream";
import type { Socket } from "bun";
import type { Client } from "../engine/state.ts";
import { responseHeadEnd, toHttp2Headers } from "./response.ts";

/**
 * The two adapters between Bun sockets and node:http2:
 * - `SocketDuplex`: a client's TLS socket as the stream node:http2 reads its
 *   session from (the engine keeps the socket: HTTP/1.1 clients on the same
 *   port never leave the engine's own fast path);
 * - `StreamSocket`: one HTTP/2 stream as the socket of a client record of the
 *   engine. The engine writes its HTTP/1 response to it; the head is read
 *   back into an HTTP/2 header list and the body passed on as DATA.
 */

/**
 * A Bun client socket as a node Duplex (what `Http2Server` takes as a
 * connection). The session writes frame by frame; writes made in one turn of
 * the event loop are gathered and sent in one `write` (one TLS record, one
 * syscall) at the end of the turn, so HEADERS and DATA of a response leave
 * together and Nagle never holds a lone frame back.
 */
export class SocketDuplex extends Duplex {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private scheduled = false;
  /** bytes the socket did not take: later writes wait (their callbacks are held) until `drain` */
  private rest: Buffer | null = null;
  private held: ((err?: Error | null) => void)[] = [];
  private readonly flushNow = () => this.flush();

  constructor(readonly sock: Socket<Client>) {
    super();
  }

  get remoteAddress(): string {
    return this.sock.remoteAddress;
  }

  /** Bytes from the client; false asks the caller to pause the socket. */
  received(buf: Buffer): boolean {
    return this.push(buf);
  }

  /**
   * Makes the session write out the frames it queued. Bun's node:http2 queues
   * frames written outside its own read handler and writes them on the
   * transport's `drain`; a response completed on a later turn (every proxied
   * one) would otherwise wait for the client's next bytes. Once per turn.
   */
  flushSession(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(this.emitDrain);
  }
  private flushQueued = false;
  private readonly emitDrain = () => {
    this.flushQueued = false;
    if (!this.destroyed) this.emit("drain");
  };

  /** The socket wrote its queue: send what waited, release the held writes. */
  drained(): void {
    if (!this.rest) return;
    const rest = this.rest;
    const n = Math.max(0, this.sock.write(rest));
    if (n < rest.length) {
      this.rest = rest.subarray(n);
      return;
    }
    this.rest = null;
    const held = this.held;
    this.held = [];
    for (const done of held) done();
    if (this.batch.length && !this.scheduled) this.flush();
  }

  override _read(): void {
    this.sock.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.rest) this.held.push(done);
    else done();
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushNow);
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.rest || this.batch.length === 0) return;
    const data = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    const n = Math.max(0, this.sock.write(data));
    if (n < data.length) this.rest = data.subarray(n);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.flush();
    this.sock.end();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    for (const d of this.held) d(err);
    this.held = [];
    this.rest = null;
    this.batch = [];
    done(err);
  }
}

/**
 * One stream as the engine's client socket: `write` takes the engine's HTTP/1
 * response (head, then body), `end` ends the stream, `terminate` resets it,
 * `pause`/`resume` hold the request body. A write while the stream's buffer is
 * full takes nothing (returns 0): the engine then queues, pauses the upstream
 * and waits for `drain`, exactly as with a TCP socket.
 */
export class StreamSocket {
  data!: Client;
  private head: Buffer | null = null;
  private responded = false;
  private ended = false;
  /** since when a write has been refused (the client's window is shut); 0 when not */
  blockedSince = 0;
  /** when the engine ended the response (the stream closes once its last frame is out); 0 before */
  endedAt = 0;

  constructor(
    readonly stream: ServerHttp2Stream,
    readonly remoteAddress: string,
    /** the engine's scratch buffer: bytes in it are copied before they are kept */
    private readonly scratch: ArrayBufferLike,
    /** called once the engine is done with the stream (ended or reset) */
    private readonly onDone: (s: StreamSocket) => void,
    /** called after frames were queued: the session must be told to flush them */
    private readonly onWrote: () => void,
  ) {}

  write(buf: Uint8Array, off = 0, len = buf.length - off): number {
    const s = this.stream;
    if (this.ended || s.destroyed) return len;
    if (this.responded && s.writableNeedDrain) {
      if (!this.blockedSince) this.blockedSince = Date.now();
      return 0;
    }
    let piece = Buffer.from(buf.buffer, buf.byteOffset + off, len);
    if (!this.responded) {
      if (this.head) piece = Buffer.concat([this.head, piece]);
      const end = responseHeadEnd(piece);
      if (end < 0) {
        this.head = Buffer.from(piece);
        return len;
      }
      this.head = null;
      const headers = toHttp2Headers(piece, end);
      piece = piece.subarray(end);
      // Interim answers (100 Continue) are not passed on: the request body flows anyway.
      if (Number(headers[":status"]) < 200) {
        if (piece.length) this.write(piece);
        return len;
      }
      this.responded = true;
      try {
        s.respond(headers);
      } catch {
        this.terminate();
        return len;
      }
    }
    if (piece.length) s.write(piece.buffer === this.scratch ? Buffer.from(piece) : piece);
    this.onWrote();
    return len;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.endedAt = Date.now();
    const s = this.stream;
    if (!s.destroyed) {
      if (this.responded) s.end();
      else s.close(constants.NGHTTP2_INTERNAL_ERROR);
      this.onWrote();
    }
    queueMicrotask(() => this.onDone(this));
  }

  terminate(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.stream.destroyed) this.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    queueMicrotask(() => this.onDone(this));
  }

  /** Resets a stream whose frames cannot leave (flow-control stall), whatever the engine's state. */
  cancel(): void {
    this.ended = true;
    if (!this.stream.destroyed) this.stream.close(constants.NGHTTP2_CANCEL);
    this.onWrote();
    queueMicrotask(() => this.onDone(this));
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }
}
