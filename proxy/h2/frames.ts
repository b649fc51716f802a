/**
 * HTTP/2 frame constants and writers (RFC 9113 §4, §6) for the native layer.
 * Frames are built into fresh buffers; the connection batches them per turn.
 */

export const T = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

export const F = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

/** Error codes (§7). */
export const E = {
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
  FLOW_CONTROL_ERROR: 3,
  STREAM_CLOSED: 5,
  FRAME_SIZE_ERROR: 6,
  REFUSED_STREAM: 7,
  CANCEL: 8,
  COMPRESSION_ERROR: 9,
  ENHANCE_YOUR_CALM: 11,
} as const;

/** The client connection preface (§3.4). */
export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** Writes a 9-byte frame header into `out` at `at`. */
export function putFrameHeader(
  out: Uint8Array,
  at: number,
  len: number,
  type: number,
  flags: number,
  id: number,
) {
  out[at] = len >>> 16;
  out[at + 1] = (len >>> 8) & 0xff;
  out[at + 2] = len & 0xff;
  out[at + 3] = type;
  out[at + 4] = flags;
  out[at + 5] = (id >>> 24) & 0x7f;
  out[at + 6] = (id >>> 16) & 0xff;
  out[at + 7] = (id >>> 8) & 0xff;
  out[at + 8] = id & 0xff;
}

/** A whole frame with `payload`. */
export function frame(type: number, flags: number, id: number, payload?: Uint8Array): Buffer {
  const len = payload ? payload.length : 0;
  const out = Buffer.allocUnsafe(9 + len);
  putFrameHeader(out, 0, len, type, flags, id);
  if (payload) out.set(payload, 9);
  return out;
}

/** A frame whose payload is 32-bit words (RST_STREAM, WINDOW_UPDATE, GOAWAY). */
export function wordsFrame(type: number, id: number, ...words: number[]): Buffer {
  const out = Buffer.allocUnsafe(9 + 4 * words.length);
  putFrameHeader(out, 0, 4 * words.length, type, 0, id);
  for (let i = 0; i < words.length; i++) out.writeUInt32BE(words[i]! >>> 0, 9 + 4 * i);
  return out;
}

/** A SETTINGS frame from [id, value] pairs. */
export function settingsFrame(pairs: [number, number][]): Buffer {
  const p = Buffer.allocUnsafe(6 * pairs.length);
  pairs.forEach(([k, v], i) => {
    p.writeUInt16BE(k, 6 * i);
    p.writeUInt32BE(v, 6 * i + 2);
  });
  return frame(T.SETTINGS, 0, 0, p);
}

/** HEADERS (and CONTINUATIONs if the block is over `maxFrame`) for `block`. */
export function headersFrames(id: number, block: Uint8Array, endStream: boolean, maxFrame: number): Buffer {
  const n = Math.max(1, Math.ceil(block.length / maxFrame));
  const out = Buffer.allocUnsafe(9 * n + block.length);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const piece = block.subarray(i * maxFrame, (i + 1) * maxFrame);
    const last = i === n - 1;
    const flags = (last ? F.END_HEADERS : 0) | (i === 0 && endStream ? F.END_STREAM : 0);
    putFrameHeader(out, at, piece.length, i === 0 ? T.HEADERS : T.CONTINUATION, flags, id);
    out.set(piece, at + 9);
    at += 9 + piece.length;
  }
  return out;
}
