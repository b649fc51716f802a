import type { ProxyConfig } from "./config.ts";

/**
 * The security header block added to every response, rendered once per
 * configuration as raw head text (`Name: value\r\n` lines) so the hot path
 * only concatenates strings.
 */
export interface HeaderBlocks {
  /** for plain HTTP responses */
  http: string;
  /** for HTTPS responses (adds HSTS) */
  https: string;
  /** lower-cased names in the block, so upstream copies are dropped instead of duplicated */
  names: Set<string>;
  pairs: [string, string][];
  hsts: string;
}

/** Builds the header blocks from the configuration. */
export function securityHeaders(cfg: ProxyConfig): HeaderBlocks {
  const h = cfg.headers;
  const pairs: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", h.frameOptions],
    ["Referrer-Policy", h.referrerPolicy],
    ["Content-Security-Policy", h.contentSecurityPolicy],
    ["Permissions-Policy", h.permissionsPolicy],
  ].filter(([, v]) => v) as [string, string][];
  const http = pairs.map(([k, v]) => `${k}: ${v}\r\n`).join("");
  const https = h.strictTransportSecurity
    ? `${http}Strict-Transport-Security: ${h.strictTransportSecurity}\r\n`
    : http;
  return {
    http,
    https,
    names: new Set([...pairs.map(([k]) => k.toLowerCase()), "strict-transport-security"]),
    pairs,
    hsts: h.strictTransportSecurity,
  };
}

const requestIdRe = /^[\w.:@/+=-]{1,200}$/;

/** Keeps a well-formed client `X-Request-Id`, otherwise makes one. */
export function requestId(incoming: string | undefined): string {
  return incoming && requestIdRe.test(incoming) ? incoming : crypto.randomUUID();
}

// The same set as `requestIdRe`, as a byte table for ids read straight from a request head.
const idByte = new Uint8Array(256);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:@/+=-")
  idByte[c.charCodeAt(0)] = 1;

/** Whether `buf[from, to)` is a request id worth keeping (1–200 of `[\w.:@/+=-]`). */
export function validRequestId(buf: Uint8Array, from: number, to: number): boolean {
  if (from < 0 || to - from < 1 || to - from > 200) return false;
  for (let i = from; i < to; i++) if (idByte[buf[i]!] === 0) return false;
  return true;
}

const HEX = Buffer.from("0123456789abcdef", "latin1");
const SPLIT = 2 ** 24;

/**
 * Request ids made by the proxy: 32 hex digits like nginx's `$request_id`, a
 * random prefix per process and a counter, so one is written straight into an
 * outgoing head without making a string (`text` makes one for logs and errors).
 */
export class RequestIds {
  private readonly prefix: Buffer;
  private readonly prefixText: string;
  private seq = 0;

  constructor() {
    this.prefixText = Buffer.from(crypto.getRandomValues(new Uint8Array(10))).toString("hex");
    this.prefix = Buffer.from(this.prefixText, "latin1");
  }

  next(): number {
    this.seq = (this.seq + 1) % 2 ** 48;
    return this.seq;
  }

  /** Writes the id for `seq` at `out[at]` and returns the bytes written (32). */
  write(seq: number, out: Buffer, at: number): number {
    this.prefix.copy(out, at);
    // 12 hex digits in two 24-bit halves: bitwise operators work on 32 bits.
    let hi = Math.floor(seq / SPLIT);
    let lo = seq % SPLIT;
    for (let i = 31; i >= 26; i--) {
      out[at + i] = HEX[lo & 15]!;
      lo >>>= 4;
    }
    for (let i = 25; i >= 20; i--) {
      out[at + i] = HEX[hi & 15]!;
      hi >>>= 4;
    }
    return 32;
  }

  text(seq: number): string {
    return this.prefixText + seq.toString(16).padStart(12, "0");
  }
}

/** Text for a response status line. */
export const reasons: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  304: "Not Modified",
  308: "Permanent Redirect",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Payload Too Large",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
