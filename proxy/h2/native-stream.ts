import { abortRequest, clientData } from "../engine/client.ts";
import { rejectHead } from "../engine/local.ts";
import type { Client, EngineState } from "../engine/state.ts";
import { finishHead } from "./request.ts";

/** What a stream needs from its connection (`native.ts`). */
export interface StreamOwner {
  readonly st: EngineState;
  /** queues the HEADERS of a response: `head[from, to)` is the engine's HTTP/1 head without its blank line */
  sendHead(s: NativeStream, head: Buffer, from: number, to: number): void;
  /** frames what the windows allow of `buf[off, off + len)` as DATA now; the bytes taken */
  sendData(s: NativeStream, buf: Buffer, off: number, len: number): number;
  /** the response is complete: END_STREAM after what is queued */
  endStream(s: NativeStream): void;
  /** the stream has DATA (or its end) to send: pump it when the windows allow */
  wake(s: NativeStream, bytes?: number): void;
  /** resets the stream with `code` and forgets it */
  reset(s: NativeStream, code: number): void;
  /** the request body's bytes were consumed: credit the stream's receive window */
  consumed(s: NativeStream, bytes: number): void;
}

const HEAD_END = Buffer.from("\r\n\r\n", "latin1");

/** Bytes a stream may hold unsent before the engine's writes are refused (it then waits for `drain`). */
const HIGH_WATER = 64 * 1024;

/**
 * One HTTP/2 stream of the native layer, as the engine's client socket:
 * `write` takes the engine's HTTP/1 response (its head becomes HEADERS, the
 * rest DATA under flow control), `end` ends the stream, `terminate` resets
 * it, `pause`/`resume` hold the request body. A write while the stream holds
 * more than 64 KiB unsent takes nothing (returns 0): the engine queues, pauses
 * its upstream and waits for `drain`, exactly as with a TCP socket.
 */
export class NativeStream {
  data!: Client;
  /** DATA waiting for window, in order */
  queue: Buffer[] = [];
  queued = 0;
  /** the client's window for this stream */
  sendWindow: number;
  /** the engine ended the response: END_STREAM goes after the queue */
  ended = false;
  /** END_STREAM (or RST_STREAM) sent: the stream is over */
  done = false;
  /** the client ended its side (END_STREAM received) */
  remoteEnded = false;
  /** request body bytes consumed but not yet returned to the client in a WINDOW_UPDATE */
  recvCredit = 0;
  /** the engine was refused a write and waits for `drain` */
  refused = false;
  /** since when a write has been refused or the queue could not move; 0 when not */
  blockedSince = 0;
  /** where the stream's latest frame starts in its connection's buffer, and that buffer's write count then */
  lastFrame = -1;
  lastFrameWrite = -1;
  /** END_STREAM was set on a frame still in the connection's buffer */
  endSent = false;
  private head: Buffer | null = null;
  private responded = false;
  private paused = false;
  private held: Buffer[] | null = null;
  /** body framing: declared length (null: unknown, read whole), bytes seen */
  private declared: number | null = null;
  private received = 0;
  private whole: Buffer[] | null = null;
  private bodyRefused = false;
  private pendingHead: string | null = null;
  private bodyFinished = false;

  constructor(
    readonly owner: StreamOwner,
    readonly id: number,
    readonly remoteAddress: string,
    sendWindow: number,
    /** the engine's scratch buffer: bytes in it are copied before they are kept */
    private readonly scratch: ArrayBufferLike,
  ) {
    this.sendWindow = sendWindow;
  }

  /** Starts the request: `head` is the HTTP/1 head without its framing; `declared` the content-length. */
  open(head: string, declared: number | null, endStream: boolean): void {
    const st = this.owner.st;
    this.remoteEnded = endStream;
    if (endStream) {
      if (declared) rejectHead(st, this.data, 400, "Content-Length without a body.");
      else clientData(st, this.data, finishHead(head, declared));
      return;
    }
    this.declared = declared;
    if (declared !== null) clientData(st, this.data, finishHead(head, declared));
    else {
      this.whole = [];
      this.pendingHead = head;
    }
  }

  /** DATA from the client (already counted against the connection window). */
  body(chunk: Buffer): void {
    if (this.paused) {
      if (!this.held) this.held = [];
      this.held.push(chunk);
      return;
    }
    this.deliver(chunk);
  }

  private deliver(chunk: Buffer): void {
    const st = this.owner.st;
    const c = this.data;
    this.received += chunk.length;
    this.owner.consumed(this, chunk.length);
    if (this.whole) {
      if (this.bodyRefused) return;
      if (this.received > st.core.cfg.limits.maxBodyBytes) {
        this.bodyRefused = true;
        rejectHead(st, c, 413, `Request body exceeds ${st.core.cfg.limits.maxBodyBytes} bytes.`);
        return;
      }
      this.whole.push(chunk);
      return;
    }
    if (this.received > this.declared!) {
      if (c.ex) abortRequest(st, c.ex, 400, "More DATA than Content-Length.");
      return;
    }
    if (!c.closed) clientData(st, c, chunk);
  }

  /** END_STREAM from the client. */
  bodyEnd(): void {
    this.remoteEnded = true;
    if (this.paused) return; // after the held DATA (resume)
    this.finishBody();
  }

  private finishBody(): void {
    if (this.bodyFinished) return;
    this.bodyFinished = true;
    const st = this.owner.st;
    const c = this.data;
    if (this.whole) {
      const parts = this.whole;
      this.whole = null;
      if (this.bodyRefused || c.closed) return;
      clientData(st, c, finishHead(this.pendingHead!, this.received));
      if (this.received > 0) clientData(st, c, Buffer.concat(parts, this.received));
    } else if (this.received < this.declared! && c.ex && !c.ex.bodyDone)
      abortRequest(st, c.ex, 400, "Less DATA than Content-Length.");
  }

  write(buf: Uint8Array, off = 0, len = buf.length - off): number {
    if (this.ended || this.done) return len;
    if (this.responded && this.queued >= HIGH_WATER) {
      this.refused = true;
      if (!this.blockedSince) this.blockedSince = Date.now();
      return 0;
    }
    let b = buf instanceof Buffer ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    let from = off;
    let to = off + len;
    if (!this.responded) {
      if (this.head) {
        b = Buffer.concat([this.head, b.subarray(from, to)]);
        from = 0;
        to = b.length;
      }
      const i = b.indexOf(HEAD_END, from);
      if (i < 0 || i + 4 > to) {
        this.head = Buffer.from(b.subarray(from, to));
        return len;
      }
      this.head = null;
      const end = i + 4;
      // Interim answers (1xx: 100 Continue) are not passed on: the request body flows anyway.
      if (b[from + 9] === 0x31) {
        if (end < to) this.write(b, end, to - end);
        return len;
      }
      this.responded = true;
      this.owner.sendHead(this, b, from, i);
      from = end;
    }
    if (from < to) {
      // Straight into the connection's frames when the windows allow: no copy kept here.
      const taken = this.owner.sendData(this, b, from, to - from);
      if (from + taken < to) {
        const piece = b.subarray(from + taken, to);
        this.queue.push(piece.buffer === this.scratch ? Buffer.from(piece) : piece);
        this.queued += piece.length;
        this.owner.wake(this, piece.length);
      }
    }
    return len;
  }

  end(): void {
    if (this.ended || this.done) return;
    this.ended = true;
    if (!this.responded) this.owner.reset(this, 2);
    else this.owner.endStream(this);
  }

  terminate(): void {
    if (this.ended || this.done) return;
    this.ended = true;
    this.owner.reset(this, 2);
  }

  /** Resets a stream whose frames cannot leave (flow-control stall), whatever the engine's state. */
  cancel(): void {
    this.ended = true;
    this.owner.reset(this, 8);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const held = this.held;
    this.held = null;
    if (held) for (const chunk of held) this.deliver(chunk);
    if (this.remoteEnded && !this.done) this.finishBody();
  }
}
