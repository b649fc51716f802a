import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, jwtSecret, loadConfig } from "../platform/config.ts";

/**
 * The proxy's typed configuration: what nginx.conf held in the reference stack.
 * Precedence: built-in defaults < JSON file (PROXY_CONFIG_FILE) < environment.
 * SIGHUP re-reads both, so the file is the place for values meant to change live.
 */
export type BalancerKind = "round-robin" | "least-connections" | "p2c-ewma";

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
}

/** The whole proxy configuration (defaults in `defaultProxyConfig`, knobs in docs/proxy.md). */
export interface ProxyConfig {
  host: string;
  port: number;
  tlsPort: number;
  adminPort: number;
  upstreams: UpstreamSpec[];
  balancer: BalancerKind;
  pool: {
    /** idle keep-alive sockets kept per upstream (nginx `keepalive`) */
    maxIdlePerUpstream: number;
    /** open sockets per upstream; an upstream at the cap is skipped by the balancer */
    maxPerUpstream: number;
    /** idle sockets are closed after this; keep it below the app's own keep-alive timeout */
    idleTimeoutMs: number;
  };
  timeouts: {
    connectMs: number;
    /** no byte from the upstream for this long → 504 (or abort if the response had started) */
    responseMs: number;
    clientIdleMs: number;
    /** a request head must arrive completely within this */
    headerMs: number;
  };
  health: {
    enabled: boolean;
    path: string;
    intervalMs: number;
    timeoutMs: number;
    rise: number;
    fall: number;
  };
  ejection: {
    consecutive5xx: number;
    baseMs: number;
    maxMs: number;
  };
  /** extra attempts on another upstream (the issue fixes this at one) */
  retries: number;
  /** request bodies up to this size are kept so an idempotent request can be replayed */
  retryBufferBytes: number;
  limits: {
    maxBodyBytes: number;
    maxHeaderBytes: number;
    /** concurrent connections per client IP; 0 = unlimited */
    maxConnsPerIp: number;
  };
  compression: {
    enabled: boolean;
    minBytes: number;
    gzipLevel: number;
    brotliQuality: number;
    /** bodies of known length up to this are compressed in one go, larger ones streamed */
    bufferMaxBytes: number;
    types: string[];
  };
  headers: {
    contentSecurityPolicy: string;
    frameOptions: string;
    referrerPolicy: string;
    permissionsPolicy: string;
    /** sent on HTTPS responses only */
    strictTransportSecurity: string;
  };
  rateLimit: {
    enabled: boolean;
    zones: RateZone[];
    redisUrl: string | undefined;
    keyPrefix: string;
  };
  static: {
    root: string;
    cacheMaxBytes: number;
    cacheMaxFileBytes: number;
  };
  tls: {
    certFile: string | undefined;
    keyFile: string | undefined;
    redirectHttp: boolean;
  };
  accessLog: boolean;
  logLevel: Config["LOG_LEVEL"];
  jwtSecret: string;
  shutdownTimeoutMs: number;
}

/** Deep partial, for overrides in tests and the JSON file. */
export type ProxyOverrides = {
  [K in keyof ProxyConfig]?: ProxyConfig[K] extends unknown[]
    ? ProxyConfig[K]
    : ProxyConfig[K] extends object
      ? Partial<ProxyConfig[K]>
      : ProxyConfig[K];
};

/** The reference NGINX zones: `auth` 5 r/s burst 10 on /api/auth/, `api` 10 r/s burst 20. */
export const defaultRateZones: RateZone[] = [
  { name: "auth", prefix: "/api/auth/", rate: 5, burst: 10 },
  { name: "api", prefix: "/api/", rate: 10, burst: 20 },
];

/** Parses `host:port[=weight]` entries separated by commas. */
export function parseUpstreams(text: string): UpstreamSpec[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([^:=\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})(?:=(\d+(?:\.\d+)?))?$/.exec(entry);
      if (!m)
        throw new Error(
          `PROXY_UPSTREAMS: bad entry ${JSON.stringify(entry)} (want host:port or host:port=weight)`,
        );
      const port = Number(m[2]);
      const weight = m[3] === undefined ? 1 : Number(m[3]);
      if (port < 1 || port > 65535) throw new Error(`PROXY_UPSTREAMS: bad port in ${entry}`);
      if (!(weight > 0)) throw new Error(`PROXY_UPSTREAMS: weight must be > 0 in ${entry}`);
      return { host: m[1]!.replace(/^\[|\]$/g, ""), port, weight };
    });
}

/** Parses `name:prefix:rate:burst` zones separated by commas. */
export function parseZones(text: string): RateZone[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, prefix, rate, burst] = entry.split(":");
      const r = Number(rate);
      const b = Number(burst);
      if (!name || !prefix?.startsWith("/") || !(r > 0) || !(b >= 1))
        throw new Error(
          `PROXY_RATE_ZONES: bad zone ${JSON.stringify(entry)} (want name:/prefix/:rate:burst)`,
        );
      return { name, prefix, rate: r, burst: b };
    });
}

/** The configuration with nothing overridden, derived from the platform config. */
export function defaultProxyConfig(platform: Config): ProxyConfig {
  const upstreams: UpstreamSpec[] = [];
  for (let i = 0; i < platform.APP_INSTANCES; i++)
    upstreams.push({ host: "127.0.0.1", port: platform.APP_PORT_BASE + i, weight: 1 });
  return {
    host: "0.0.0.0",
    port: platform.PROXY_PORT,
    tlsPort: platform.PROXY_TLS_PORT,
    adminPort: platform.PROXY_ADMIN_PORT,
    upstreams,
    balancer: "round-robin",
    pool: { maxIdlePerUpstream: 512, maxPerUpstream: 2048, idleTimeoutMs: 4000 },
    timeouts: { connectMs: 2000, responseMs: 30_000, clientIdleMs: 75_000, headerMs: 10_000 },
    health: { enabled: true, path: "/healthz", intervalMs: 2000, timeoutMs: 1000, rise: 2, fall: 2 },
    ejection: { consecutive5xx: 5, baseMs: 1000, maxMs: 30_000 },
    retries: 1,
    retryBufferBytes: 64 * 1024,
    limits: { maxBodyBytes: 10 * 1024 * 1024, maxHeaderBytes: 16 * 1024, maxConnsPerIp: 512 },
    compression: {
      enabled: true,
      minBytes: 1024,
      gzipLevel: 5,
      brotliQuality: 4,
      bufferMaxBytes: 1024 * 1024,
      types: [
        "text/",
        "application/json",
        "application/problem+json",
        "application/javascript",
        "application/xml",
        "application/manifest+json",
        "image/svg+xml",
      ],
    },
    headers: {
      contentSecurityPolicy:
        "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
      frameOptions: "DENY",
      referrerPolicy: "strict-origin-when-cross-origin",
      permissionsPolicy: "camera=(), microphone=(), geolocation=()",
      strictTransportSecurity: "max-age=31536000; includeSubDomains",
    },
    rateLimit: {
      enabled: true,
      zones: defaultRateZones,
      redisUrl: platform.REDIS_URL,
      keyPrefix: "rl:",
    },
    static: {
      root: join(import.meta.dir, "..", "web"),
      cacheMaxBytes: 32 * 1024 * 1024,
      cacheMaxFileBytes: 1024 * 1024,
    },
    tls: { certFile: undefined, keyFile: undefined, redirectHttp: true },
    accessLog: true,
    logLevel: platform.LOG_LEVEL,
    jwtSecret: jwtSecret(platform),
    shutdownTimeoutMs: platform.SHUTDOWN_TIMEOUT_MS,
  };
}

/** Merges overrides one level deep (sections are merged, arrays replaced). */
export function mergeConfig(base: ProxyConfig, over: ProxyOverrides): ProxyConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] =
      cur && typeof cur === "object" && !Array.isArray(cur) && typeof v === "object" && !Array.isArray(v)
        ? { ...cur, ...v }
        : v;
  }
  return out as unknown as ProxyConfig;
}

const num = (name: string, raw: string, min: number, max: number): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${name}: must be a number in [${min}, ${max}]`);
  return n;
};
const flag = (name: string, raw: string): boolean => {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new Error(`${name}: must be a boolean (on/off)`);
};

/** Reads proxy-only knobs from the environment. Each knob is documented in docs/proxy.md. */
export function envOverrides(env: Record<string, string | undefined>): ProxyOverrides {
  const o: ProxyOverrides = {};
  const get = (k: string) => (env[k] === undefined || env[k] === "" ? undefined : (env[k] as string));
  const set = <S extends keyof ProxyOverrides>(section: S, patch: ProxyOverrides[S]) => {
    const cur = o[section];
    o[section] = (
      cur && typeof cur === "object" ? { ...(cur as object), ...(patch as object) } : patch
    ) as ProxyOverrides[S];
  };
  let v: string | undefined;
  v = get("PROXY_HOST");
  if (v) o.host = v;
  v = get("PROXY_UPSTREAMS");
  if (v) o.upstreams = parseUpstreams(v);
  v = get("PROXY_BALANCER");
  if (v) {
    if (v !== "round-robin" && v !== "least-connections" && v !== "p2c-ewma")
      throw new Error("PROXY_BALANCER: must be round-robin, least-connections or p2c-ewma");
    o.balancer = v;
  }
  v = get("PROXY_POOL_MAX_IDLE");
  if (v) set("pool", { maxIdlePerUpstream: num("PROXY_POOL_MAX_IDLE", v, 0, 1e5) });
  v = get("PROXY_POOL_MAX");
  if (v) set("pool", { maxPerUpstream: num("PROXY_POOL_MAX", v, 1, 1e6) });
  v = get("PROXY_POOL_IDLE_TIMEOUT_MS");
  if (v) set("pool", { idleTimeoutMs: num("PROXY_POOL_IDLE_TIMEOUT_MS", v, 100, 3.6e6) });
  v = get("PROXY_CONNECT_TIMEOUT_MS");
  if (v) set("timeouts", { connectMs: num("PROXY_CONNECT_TIMEOUT_MS", v, 10, 3.6e6) });
  v = get("PROXY_RESPONSE_TIMEOUT_MS");
  if (v) set("timeouts", { responseMs: num("PROXY_RESPONSE_TIMEOUT_MS", v, 10, 3.6e6) });
  v = get("PROXY_CLIENT_IDLE_TIMEOUT_MS");
  if (v) set("timeouts", { clientIdleMs: num("PROXY_CLIENT_IDLE_TIMEOUT_MS", v, 100, 3.6e6) });
  v = get("PROXY_HEALTH_CHECKS");
  if (v) set("health", { enabled: flag("PROXY_HEALTH_CHECKS", v) });
  v = get("PROXY_HEALTH_INTERVAL_MS");
  if (v) set("health", { intervalMs: num("PROXY_HEALTH_INTERVAL_MS", v, 50, 3.6e6) });
  v = get("PROXY_HEALTH_RISE");
  if (v) set("health", { rise: num("PROXY_HEALTH_RISE", v, 1, 100) });
  v = get("PROXY_HEALTH_FALL");
  if (v) set("health", { fall: num("PROXY_HEALTH_FALL", v, 1, 100) });
  v = get("PROXY_EJECT_5XX");
  if (v) set("ejection", { consecutive5xx: num("PROXY_EJECT_5XX", v, 1, 1e6) });
  v = get("PROXY_MAX_BODY_BYTES");
  if (v) set("limits", { maxBodyBytes: num("PROXY_MAX_BODY_BYTES", v, 0, 2 ** 50) });
  v = get("PROXY_MAX_HEADER_BYTES");
  if (v) set("limits", { maxHeaderBytes: num("PROXY_MAX_HEADER_BYTES", v, 1024, 1 << 20) });
  v = get("PROXY_MAX_CONNS_PER_IP");
  if (v) set("limits", { maxConnsPerIp: num("PROXY_MAX_CONNS_PER_IP", v, 0, 1e7) });
  v = get("PROXY_COMPRESSION");
  if (v) set("compression", { enabled: flag("PROXY_COMPRESSION", v) });
  v = get("PROXY_GZIP_LEVEL");
  if (v) set("compression", { gzipLevel: num("PROXY_GZIP_LEVEL", v, 1, 9) });
  v = get("PROXY_BROTLI_QUALITY");
  if (v) set("compression", { brotliQuality: num("PROXY_BROTLI_QUALITY", v, 0, 11) });
  v = get("PROXY_CSP");
  if (v) set("headers", { contentSecurityPolicy: v });
  v = get("PROXY_HSTS");
  if (v) set("headers", { strictTransportSecurity: v });
  v = get("PROXY_RATE_LIMIT");
  if (v) set("rateLimit", { enabled: flag("PROXY_RATE_LIMIT", v) });
  v = get("PROXY_RATE_ZONES");
  if (v) set("rateLimit", { zones: parseZones(v) });
  v = get("PROXY_RATE_KEY_PREFIX");
  if (v) set("rateLimit", { keyPrefix: v });
  v = get("PROXY_STATIC_ROOT");
  if (v) set("static", { root: v });
  v = get("TLS_CERT_FILE");
  if (v) set("tls", { certFile: v });
  v = get("TLS_KEY_FILE");
  if (v) set("tls", { keyFile: v });
  v = get("PROXY_TLS_REDIRECT");
  if (v) set("tls", { redirectHttp: flag("PROXY_TLS_REDIRECT", v) });
  v = get("PROXY_ACCESS_LOG");
  if (v) o.accessLog = flag("PROXY_ACCESS_LOG", v);
  return o;
}

/**
 * Builds the proxy configuration from the environment (and PROXY_CONFIG_FILE).
 * Throws with the variable name on a bad value.
 */
export function loadProxyConfig(env: Record<string, string | undefined> = process.env): ProxyConfig {
  const platform = loadConfig(env);
  let cfg = defaultProxyConfig(platform);
  const file = env.PROXY_CONFIG_FILE;
  if (file) cfg = mergeConfig(cfg, JSON.parse(readFileSync(file, "utf8")) as ProxyOverrides);
  cfg = mergeConfig(cfg, envOverrides(env));
  if (cfg.upstreams.length === 0) throw new Error("no upstreams configured");
  return cfg;
}
