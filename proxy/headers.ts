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
