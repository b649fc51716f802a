import { z } from "zod";
import { bool, defineSettings, int, knob, port, type Settings } from "../platform/settings.ts";
import { parseCidrs } from "./trusted.ts";

/**
 * Every proxy-only environment variable, declared once with its default and
 * its documentation (`bun scripts/config-table.ts` prints them with the shared
 * ones). The ports, TLS files, `REDIS_URL`, `JWT_SECRET`, `LOG_LEVEL`,
 * `SHUTDOWN_TIMEOUT_MS`, `APP_PORT_BASE` and `APP_INSTANCES` come from the
 * shared group (`platform/config.ts`). `proxy/config.ts` turns these values
 * into the typed `ProxyConfig`.
 */

/** One upstream app instance. */
export interface UpstreamSpec {
  host: string;
  port: number;
  weight: number;
}

/** A rate-limit zone: requests whose path starts with `prefix` share a token bucket per client. */
export interface RateZone {
  name: string;
  prefix: string;
  /** tokens added per second */
  rate: number;
  /** bucket size: requests allowed back to back */
  burst: number;
  /**
   * Always keyed by client IP: a valid bearer token adds a per-user bucket
   * (both must have a token) instead of replacing the IP's, so N accounts do
   * not give one address N times the attempts.
   */
  byIp?: boolean;
}

/** Parses `host:port[=weight]` entries separated by commas; throws naming the bad entry. */
export function parseUpstreams(text: string): UpstreamSpec[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([^:=\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})(?:=(\d+(?:\.\d+)?))?$/.exec(entry);
      if (!m) throw new Error(`bad entry ${JSON.stringify(entry)} (want host:port or host:port=weight)`);
      const port = Number(m[2]);
      const weight = m[3] === undefined ? 1 : Number(m[3]);
      if (port < 1 || port > 65535) throw new Error(`bad port in ${entry}`);
      if (!(weight > 0)) throw new Error(`weight must be > 0 in ${entry}`);
      return { host: m[1]!.replace(/^\[|\]$/g, ""), port, weight };
    });
}

/** Parses `name:prefix:rate:burst[:ip]` zones separated by commas; throws naming the bad zone. */
export function parseZones(text: string): RateZone[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, prefix, rate, burst, key, ...more] = entry.split(":");
      const r = Number(rate);
      const b = Number(burst);
      if (
        !name ||
        !prefix?.startsWith("/") ||
        !(r > 0) ||
        !(b >= 1) ||
        (key !== undefined && key !== "ip") ||
        more.length
      )
        throw new Error(`bad zone ${JSON.stringify(entry)} (want name:/prefix/:rate:burst[:ip])`);
      return key === "ip"
        ? { name, prefix, rate: r, burst: b, byIp: true }
        : { name, prefix, rate: r, burst: b };
    });
}

/** A zod schema running one of the parsers above; its error becomes the setting's problem. */
const parsed = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  });

/** A non-empty string kept as written. */
const text = z.string().min(1);

const knobs = {
  PROXY_HOST: knob(text, "0.0.0.0", "interface the proxy's public listeners bind"),
  PROXY_ADMIN_HOST: knob(
    text,
    "127.0.0.1",
    "interface the admin port (`/metrics`, `/upstreams`) binds; loopback unless set",
  ),
  PROXY_UPSTREAMS: knob(
    parsed(parseUpstreams).optional(),
    undefined,
    "app instances to balance over, `host:port[=weight],…`",
    { shownDefault: "127.0.0.1:APP_PORT_BASE … +APP_INSTANCES−1" },
  ),
  PROXY_BALANCER: knob(
    z.enum(["round-robin", "least-connections", "p2c-ewma"]),
    "round-robin",
    "`round-robin` (smooth weighted), `least-connections` or `p2c-ewma`",
  ),
  PROXY_POOL_MAX_IDLE: knob(int(0, 100_000), "512", "idle keep-alive sockets kept per upstream"),
  PROXY_POOL_MAX: knob(
    int(1, 1_000_000),
    "2048",
    "open sockets per upstream (an upstream at the cap is skipped)",
  ),
  PROXY_POOL_IDLE_TIMEOUT_MS: knob(
    int(100, 3_600_000),
    "4000",
    "idle pooled sockets are closed after this (keep it below the app's keep-alive timeout)",
  ),
  PROXY_CONNECT_TIMEOUT_MS: knob(int(10, 3_600_000), "2000", "upstream connect timeout (then retry)"),
  PROXY_RESPONSE_TIMEOUT_MS: knob(
    int(10, 3_600_000),
    "30000",
    "no upstream byte for this long → 504 (or abort once the response started)",
  ),
  PROXY_CLIENT_IDLE_TIMEOUT_MS: knob(
    int(100, 3_600_000),
    "75000",
    "idle keep-alive client connections are closed after this",
  ),
  PROXY_HEADER_TIMEOUT_MS: knob(
    int(100, 3_600_000),
    "10000",
    "a request head must arrive completely within this (408 otherwise)",
  ),
  PROXY_HEALTH_CHECKS: knob(bool, "on", "active health checks (`GET /healthz` on every upstream)"),
  PROXY_HEALTH_INTERVAL_MS: knob(int(50, 3_600_000), "2000", "health-check interval"),
  PROXY_HEALTH_TIMEOUT_MS: knob(int(10, 3_600_000), "1000", "a health check slower than this fails"),
  PROXY_HEALTH_RISE: knob(int(1, 100), "2", "consecutive good checks that bring an upstream back"),
  PROXY_HEALTH_FALL: knob(int(1, 100), "2", "consecutive failed checks that take an upstream out"),
  PROXY_EJECT_5XX: knob(
    int(1, 1_000_000),
    "5",
    "consecutive 5xx responses that eject an upstream (for 1 s, doubling up to 30 s)",
  ),
  PROXY_RETRIES: knob(int(0, 10), "1", "extra attempts on another upstream for a failed request"),
  PROXY_MAX_BODY_BYTES: knob(int(0, 2 ** 50), "10485760", "request body limit (413 above it)"),
  PROXY_MAX_HEADER_BYTES: knob(int(1024, 1 << 20), "16384", "request head limit (431 above it)"),
  PROXY_BODY_TIMEOUT_MS: knob(
    int(100, 3_600_000),
    "120000",
    "a request body must arrive completely within this from the end of its head (408 otherwise)",
  ),
  PROXY_BODY_MIN_RATE: knob(
    int(0, 1 << 30),
    "1024",
    "a request body must average this many bytes/s after the grace below (408 otherwise); 0 = off",
  ),
  PROXY_BODY_MIN_RATE_AFTER_MS: knob(
    int(0, 3_600_000),
    "5000",
    "grace from the end of a request head before `PROXY_BODY_MIN_RATE` applies",
  ),
  PROXY_BUFFER_BODY_BYTES: knob(
    int(0, 16 << 20),
    "65536",
    "bodies with a Content-Length up to this are read completely before an upstream connection is taken",
  ),
  PROXY_MAX_IN_FLIGHT: knob(
    int(0, 10_000_000),
    "4096",
    "proxied requests in progress at once, whole proxy (503 above it); 0 = unlimited",
  ),
  PROXY_MAX_CONNS_PER_IP: knob(
    int(0, 10_000_000),
    "512",
    "concurrent connections per client IP; 0 = unlimited",
  ),
  PROXY_COMPRESSION: knob(bool, "on", "gzip/brotli of compressible responses"),
  PROXY_GZIP_LEVEL: knob(int(1, 9), "5", "gzip level for proxied responses"),
  PROXY_BROTLI_QUALITY: knob(int(0, 11), "3", "brotli quality for proxied responses"),
  PROXY_CSP: knob(
    text,
    "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
    "Content-Security-Policy sent on every response",
    { shownDefault: "default-src 'self'; …" },
  ),
  PROXY_HSTS: knob(
    text,
    "max-age=31536000; includeSubDomains",
    "Strict-Transport-Security (HTTPS responses only)",
  ),
  PROXY_TRUSTED_PROXIES: knob(
    parsed(parseCidrs),
    "",
    "peers (CIDRs, IPv4/IPv6, comma-separated) whose `X-Forwarded-For` is believed: the client is its right-most untrusted entry; empty = trust no one",
    { shownDefault: "(empty)" },
  ),
  PROXY_REAL_IP_HEADER: knob(
    z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a header name")
      .transform((v) => v.toLowerCase()),
    "X-Forwarded-For",
    "header a trusted peer names the client in: `X-Forwarded-For` (walked from the right past trusted hops) or a single-address header such as `X-Real-IP` or `CF-Connecting-IP`; a missing or malformed value leaves the peer as the client",
  ),
  PROXY_WORKERS: knob(
    int(0, 256),
    "0",
    "proxy worker processes sharing the public ports (`reusePort`), each with its own pool and health checks, under one supervisor that owns the admin port (metrics summed) and passes SIGHUP/SIGTERM on; 0 = one per core; 1 = a single process, no supervisor",
    { shownDefault: "0 (one per core)" },
  ),
  PROXY_PROXY_PROTOCOL: knob(
    z.enum(["off", "on", "http", "https"]),
    "off",
    "PROXY protocol (v1 text or v2 binary) before the first byte of every connection: `on` = both public listeners, `http` or `https` = that listener only. Required from every peer there: a peer outside `PROXY_TRUSTED_PROXIES`, or a missing, malformed or oversized header, closes the connection. On the HTTPS port the header comes before the TLS handshake",
  ),
  PROXY_RATE_LIMIT: knob(bool, "on", "rate limiting (Redis token buckets; off for the benchmark)"),
  PROXY_RATE_ZONES: knob(
    parsed(parseZones),
    "auth:/api/auth/:5:10:ip,auth:/signin:5:10:ip,auth:/register:5:10:ip,ai:/api/ai/:5:10,api:/api/:10:20,ops:/health:5:20:ip,ops:/readyz:5:20:ip",
    "rate-limit zones `name:/prefix/:rate:burst[:ip],…` matched on the decoded, normalised path (first matching prefix wins; rate per second; `:ip` = always per client IP, a token adds a per-user bucket)",
  ),
  PROXY_RATE_KEY_PREFIX: knob(text, "rl:", "prefix of the rate limiter's Redis keys"),
  PROXY_STATIC_ROOT: knob(text.optional(), undefined, "folder served for non-API paths", {
    shownDefault: "web/",
  }),
  PROXY_HTTP2: knob(
    bool,
    "on",
    "HTTP/2 on the HTTPS listener (ALPN `h2`; clients that do not offer it get HTTP/1.1 on the same port)",
  ),
  PROXY_H2_IMPL: knob(
    z.enum(["native", "node"]),
    "native",
    "HTTP/2 implementation: `native` (the proxy's own frames and HPACK) or `node` (Bun's node:http2, the previous one; kept for a release)",
  ),
  PROXY_H2C: knob(
    bool,
    "off",
    "HTTP/2 with prior knowledge (h2c) on the plain port, for tests; browsers never use it",
  ),
  PROXY_H2_MAX_STREAMS: knob(
    int(1, 10_000),
    "128",
    "concurrent streams per HTTP/2 connection (SETTINGS_MAX_CONCURRENT_STREAMS)",
  ),
  PROXY_H2_MAX_HEADER_LIST_BYTES: knob(
    int(1024, 1 << 20),
    "32768",
    "decoded header list of one HTTP/2 request (SETTINGS_MAX_HEADER_LIST_SIZE); the HTTP/1 head limit applies too",
  ),
  PROXY_H2_MAX_CONTINUATIONS: knob(
    int(0, 10_000),
    "16",
    "CONTINUATION frames in one header block; more cuts the connection (CVE-2024-27316)",
  ),
  PROXY_H2_MAX_RESETS_PER_SEC: knob(
    int(1, 1_000_000),
    "100",
    "RST_STREAM frames a client may send per second on one connection; more cuts it (rapid reset, CVE-2023-44487)",
  ),
  PROXY_H2_MAX_CONTROL_PER_SEC: knob(
    int(1, 10_000_000),
    "10000",
    "PING/SETTINGS/PRIORITY/WINDOW_UPDATE/empty frames per second on one connection; more cuts it",
  ),
  PROXY_H2_WINDOW_BYTES: knob(
    int(65_535, 1 << 30),
    "1048576",
    "receive window the proxy gives each HTTP/2 stream (request bodies in flight)",
  ),
  PROXY_H2_SESSION_MEMORY_MB: knob(
    int(1, 1024),
    "16",
    "memory one HTTP/2 session may hold for queued frames before new streams are refused",
  ),
  PROXY_H2_SEND_TIMEOUT_MS: knob(
    int(100, 3_600_000),
    "30000",
    "a response that cannot send (client window closed) for this long is reset (flow-control stall)",
  ),
  PROXY_TLS_REDIRECT: knob(bool, "on", "with TLS on, the HTTP port answers 301 to the HTTPS URL"),
  PROXY_PUBLIC_HTTPS_PORT: knob(
    port.optional(),
    undefined,
    "HTTPS port clients see (e.g. 443 when a container's 8443 is published as 443); the redirect names it; unset = PROXY_TLS_PORT",
  ),
  PROXY_ACCESS_LOG: knob(bool, "on", "one JSON access-log line per request on stdout"),
  PROXY_CONFIG_FILE: knob(
    text.optional(),
    undefined,
    "JSON file of `ProxyConfig` overrides (below the environment), re-read on SIGHUP",
  ),
} as const;

/** The proxy's settings group. */
export const proxySettings = defineSettings("proxy", knobs);

/** Parsed proxy settings. */
export type ProxySettings = Settings<typeof knobs>;
