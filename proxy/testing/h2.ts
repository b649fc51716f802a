import { type ClientHttp2Session, connect, type OutgoingHttpHeaders, type Settings } from "node:http2";
import { type TLSSocket, connect as tlsConnect } from "node:tls";

/** HTTP/2 test clients: node:http2 for ordinary requests, raw frames over TLS for the floods. */

/** A response read whole. */
export interface H2Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** An HTTP/2 session to the proxy's TLS port (self-signed certificate accepted), with the client's `settings`. */
export function h2Session(port: number, settings: Settings = {}): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false, settings });
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

/** One request on `session`; `body` is sent with a Content-Length unless `chunkedBody`. */
export function h2Request(
  session: ClientHttp2Session,
  path: string,
  opts: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer | string; noLength?: boolean } = {},
): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = {
      ":method": opts.method ?? "GET",
      ":path": path,
      ":authority": "shop.test",
      ...opts.headers,
    };
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    if (body && !opts.noLength) headers["content-length"] = body.length;
    const req = session.request(headers, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let status = 0;
    let got: H2Response["headers"] = {};
    req.on("response", (h) => {
      status = Number(h[":status"]);
      got = h as H2Response["headers"];
    });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (status === 0) reject(new Error(`stream ended without a response (code ${req.rstCode})`));
      else resolve({ status, headers: got, body: Buffer.concat(chunks) });
    });
    req.on("error", reject);
    // A stream reset before any response (a refused stream) ends without a status.
    req.on("close", () => {
      if (status === 0) reject(new Error(`stream closed without a response (code ${req.rstCode})`));
    });
    if (body) {
      // Two DATA frames when there is no length, so the proxy must collect them.
      if (opts.noLength && body.length > 1) {
        req.write(body.subarray(0, body.length >> 1));
        req.end(body.subarray(body.length >> 1));
      } else req.end(body);
    }
  });
}

/** Closes a session and waits for it. */
export function closeSession(s: ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    if (s.closed || s.destroyed) resolve();
    else s.close(() => resolve());
  });
}

/** A raw TLS connection that negotiated `h2`, for writing frames by hand. */
export function rawH2(port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const sock = tlsConnect(
      { host: "127.0.0.1", port, ALPNProtocols: ["h2"], rejectUnauthorized: false },
      () => resolve(sock),
    );
    sock.once("error", reject);
  });
}

export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** One frame: 9-byte header and payload. */
export function frame(
  type: number,
  flags: number,
  stream: number,
  payload: Buffer = Buffer.alloc(0),
): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([h, payload]);
}

/**
 * A minimal HPACK block for `GET <path>` on https at `localhost`: static-table
 * indices for :method GET (2), :scheme https (7), :path / (4) when `path` is
 * "/", and a literal :authority (name index 1, not indexed).
 */
export function getBlock(path = "/"): Buffer {
  const parts = [Buffer.from([0x82, 0x87])];
  if (path === "/") parts.push(Buffer.from([0x84]));
  else parts.push(Buffer.from([0x04, path.length]), Buffer.from(path, "latin1"));
  parts.push(Buffer.from([0x01, 9]), Buffer.from("localhost", "latin1"));
  return Buffer.concat(parts);
}

/** A literal header field (new name, not indexed) of `size` value bytes: padding for header floods. */
export function junkField(name: string, size: number): Buffer {
  if (name.length > 126 || size > 126) {
    // 7-bit prefix integers with continuation bytes (RFC 7541 §5.1).
    const int = (n: number): Buffer => {
      if (n < 127) return Buffer.from([n]);
      const out = [127];
      let v = n - 127;
      while (v >= 128) {
        out.push((v & 0x7f) | 0x80);
        v >>= 7;
      }
      out.push(v);
      return Buffer.from(out);
    };
    return Buffer.concat([
      Buffer.from([0x00]),
      int(name.length),
      Buffer.from(name),
      int(size),
      Buffer.alloc(size, 0x61),
    ]);
  }
  return Buffer.concat([
    Buffer.from([0x00, name.length]),
    Buffer.from(name),
    Buffer.from([size]),
    Buffer.alloc(size, 0x61),
  ]);
}

/** Resolves when the socket closes (the peer cut it), or with false after `ms`. */
export function closedWithin(sock: TLSSocket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (sock.destroyed) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    sock.once("close", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}
