import type { OutgoingHttpHeaders } from "node:http2";

/**
 * The engine's HTTP/1 response head (as it writes it to a client) read back
 * as an HTTP/2 header list. The head is the engine's own output, already
 * validated, so a line split is enough; connection-specific fields are left
 * out (RFC 9113 §8.2.2).
 */

const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"]);

/** End of the head in `buf` (past the blank line), or -1 while it is incomplete. */
export function responseHeadEnd(buf: Buffer): number {
  const i = buf.indexOf("\r\n\r\n", 0, "latin1");
  return i < 0 ? -1 : i + 4;
}

/** The status and header list of the head in `buf[0, end)`. */
export function toHttp2Headers(buf: Buffer, end: number): OutgoingHttpHeaders {
  const text = buf.latin1Slice(0, end - 4);
  const lines = text.split("\r\n");
  const out: OutgoingHttpHeaders = { ":status": Number(lines[0]!.slice(9, 12)) };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    if (hopByHop.has(name)) continue;
    const value = line.slice(colon + 1).trim();
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[name] = [String(seen), value];
  }
  return out;
}
