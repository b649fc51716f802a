import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { type Config, jwtSecret, loadConfig } from "../platform/config.ts";
import { type ProxySettings, proxySettings, type RateZone, type UpstreamSpec } from "./settings.ts";

export type { RateZone, UpstreamSpec } from "./settings.ts";

/**
 * The proxy's typed configuration: what nginx.conf held in the reference stack.
 * Every environment variable is declared in `proxy/settings.ts` (one settings
 * group with the shared ones in `platform/config.ts`); this file shapes them
 * into `ProxyConfig`. Precedence: defaults < JSON file (PROXY_CONFIG_FILE) <
 * environment. SIGHUP re-reads both, so the file is the place for values meant
 * to change live.
 */
export type BalancerKind = ProxySettings["PROXY_BALANCER"];

/** The whole proxy configuration (defaults in `defaultProxyConfig`, knobs in docs/proxy.md). */
export interface ProxyConfig {
  host: string;
  /** interface of the admin server (loopback by default: it serves /metrics) */
  adminHost: string;
  /** CIDRs of load balancers whose X-Forwarded-For is believed (empty: none) */
  trustedProxies: string[];
  /** worker processes (`PROXY_WORKERS`, 0 already resolved to the core count) */
  workers: number;
  /** lower-case name of the header a trusted peer names the client in */
  realIpHeader: string;
  /** listeners that expect a PROXY protocol header first (from trusted peers only) */
  proxyProtocol: { http: boolean; https: boolean };
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
    /** a request body must arrive completely within this from its head */
    bodyMs: number;
    /** bytes per second a request body must average after `bodyMinRateAfterMs`; 0 = off */
    bodyMinRate: number;
    /** grace before the minimum body rate applies */
    bodyMinRateAfterMs: number;
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
    /** Content-Length bodies up to this are read before an upstream connection is taken */
    bufferBodyBytes: number;
    /** proxied requests in progress at once; 0 = unlimited */
    maxInFlight: number;
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
    /** the HTTPS port named in redirects (the published one); undefined = the listener's own */
    publicPort?: number;
  };
  /** HTTP/2 to clients (proxy/h2/) */
  h2: H2Config;
  accessLog: boolean;
  logLevel: Config["LOG_LEVEL"];
  jwtSecret: string;
  shutdownTimeoutMs: number;
}

/** HTTP/2 on the client side: the listener switches and the protections. */
export interface H2Config {
  /** ALPN `h2` on the HTTPS listener */
  enabled: boolean;
  /** `native` (proxy/h2/native.ts) or `node` (node:http2, proxy/h2/connection.ts) */
  impl: "native" | "node";
  /** prior-knowledge HTTP/2 on the plain port (tests) */
  cleartext: boolean;
  maxStreams: number;
  maxHeaderListBytes: number;
  maxContinuations: number;
  maxResetsPerSecond: number;
  maxControlPerSecond: number;
  windowBytes: number;
  sessionMemoryMb: number;
  sendTimeoutMs: number;
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
export const defaultRateZones: RateZone[] = proxySettings.load({}).PROXY_RATE_ZONES;

/** `PROXY_WORKERS`: 0 means one per core the process may run on. */
function workerCount(n: number): number {
  return n > 0 ? n : Math.max(1, availableParallelism());
}

/** `PROXY_PROXY_PROTOCOL` as the listeners it applies to. */
function proxyProtocolListeners(v: ProxySettings["PROXY_PROXY_PROTOCOL"]): ProxyConfig["proxyProtocol"] {
  return { http: v === "on" || v === "http", https: v === "on" || v === "https" };
}

/**
 * The settings as configuration overrides. A setting left `undefined` (not
 * given) leaves the configuration below it alone.
 */
function fromSettings(
  s: Partial<ProxySettings>,
  tls: Partial<Pick<Config, "TLS_CERT_FILE" | "TLS_KEY_FILE">>,
): ProxyOverrides {
  return {
    host: s.PROXY_HOST,
    adminHost: s.PROXY_ADMIN_HOST,
    trustedProxies: s.PROXY_TRUSTED_PROXIES,
    realIpHeader: s.PROXY_REAL_IP_HEADER,
    workers: s.PROXY_WORKERS === undefined ? undefined : workerCount(s.PROXY_WORKERS),
    proxyProtocol:
      s.PROXY_PROXY_PROTOCOL === undefined ? undefined : proxyProtocolListeners(s.PROXY_PROXY_PROTOCOL),
    upstreams: s.PROXY_UPSTREAMS,
    balancer: s.PROXY_BALANCER,
    pool: {
      maxIdlePerUpstream: s.PROXY_POOL_MAX_IDLE,
      maxPerUpstream: s.PROXY_POOL_MAX,
      idleTimeoutMs: s.PROXY_POOL_IDLE_TIMEOUT_MS,
    },
    timeouts: {
      connectMs: s.PROXY_CONNECT_TIMEOUT_MS,
      responseMs: s.PROXY_RESPONSE_TIMEOUT_MS,
      clientIdleMs: s.PROXY_CLIENT_IDLE_TIMEOUT_MS,
      headerMs: s.PROXY_HEADER_TIMEOUT_MS,
      bodyMs: s.PROXY_BODY_TIMEOUT_MS,
      bodyMinRate: s.PROXY_BODY_MIN_RATE,
      bodyMinRateAfterMs: s.PROXY_BODY_MIN_RATE_AFTER_MS,
    },
    health: {
      enabled: s.PROXY_HEALTH_CHECKS,
      intervalMs: s.PROXY_HEALTH_INTERVAL_MS,
      timeoutMs: s.PROXY_HEALTH_TIMEOUT_MS,
      rise: s.PROXY_HEALTH_RISE,
      fall: s.PROXY_HEALTH_FALL,
    },
    ejection: { consecutive5xx: s.PROXY_EJECT_5XX },
    retries: s.PROXY_RETRIES,
    limits: {
      maxBodyBytes: s.PROXY_MAX_BODY_BYTES,
      maxHeaderBytes: s.PROXY_MAX_HEADER_BYTES,
      maxConnsPerIp: s.PROXY_MAX_CONNS_PER_IP,
      bufferBodyBytes: s.PROXY_BUFFER_BODY_BYTES,
      maxInFlight: s.PROXY_MAX_IN_FLIGHT,
    },
    compression: {
      enabled: s.PROXY_COMPRESSION,
      gzipLevel: s.PROXY_GZIP_LEVEL,
      brotliQuality: s.PROXY_BROTLI_QUALITY,
    },
    headers: { contentSecurityPolicy: s.PROXY_CSP, strictTransportSecurity: s.PROXY_HSTS },
    rateLimit: { enabled: s.PROXY_RATE_LIMIT, zones: s.PROXY_RATE_ZONES, keyPrefix: s.PROXY_RATE_KEY_PREFIX },
    static: { root: s.PROXY_STATIC_ROOT },
    tls: {
      certFile: tls.TLS_CERT_FILE,
      keyFile: tls.TLS_KEY_FILE,
      redirectHttp: s.PROXY_TLS_REDIRECT,
      publicPort: s.PROXY_PUBLIC_HTTPS_PORT,
    },
    h2: {
      enabled: s.PROXY_HTTP2,
      impl: s.PROXY_H2_IMPL,
      cleartext: s.PROXY_H2C,
      maxStreams: s.PROXY_H2_MAX_STREAMS,
      maxHeaderListBytes: s.PROXY_H2_MAX_HEADER_LIST_BYTES,
      maxContinuations: s.PROXY_H2_MAX_CONTINUATIONS,
      maxResetsPerSecond: s.PROXY_H2_MAX_RESETS_PER_SEC,
      maxControlPerSecond: s.PROXY_H2_MAX_CONTROL_PER_SEC,
      windowBytes: s.PROXY_H2_WINDOW_BYTES,
      sessionMemoryMb: s.PROXY_H2_SESSION_MEMORY_MB,
      sendTimeoutMs: s.PROXY_H2_SEND_TIMEOUT_MS,
    },
    accessLog: s.PROXY_ACCESS_LOG,
  };
}

/** The configuration with nothing overridden: the settings' defaults and the shared settings. */
export function defaultProxyConfig(platform: Config): ProxyConfig {
  const upstreams: UpstreamSpec[] = [];
  for (let i = 0; i < platform.APP_INSTANCES; i++)
    upstreams.push({ host: "127.0.0.1", port: platform.APP_PORT_BASE + i, weight: 1 });
  // Every default that has a variable is the knob's documented default (proxy/settings.ts).
  const d = proxySettings.load({});
  return {
    host: d.PROXY_HOST,
    adminHost: d.PROXY_ADMIN_HOST,
    trustedProxies: d.PROXY_TRUSTED_PROXIES,
    realIpHeader: d.PROXY_REAL_IP_HEADER,
    workers: workerCount(d.PROXY_WORKERS),
    proxyProtocol: proxyProtocolListeners(d.PROXY_PROXY_PROTOCOL),
    port: platform.PROXY_PORT,
    tlsPort: platform.PROXY_TLS_PORT,
    adminPort: platform.PROXY_ADMIN_PORT,
    upstreams,
    balancer: d.PROXY_BALANCER,
    pool: {
      maxIdlePerUpstream: d.PROXY_POOL_MAX_IDLE,
      maxPerUpstream: d.PROXY_POOL_MAX,
      idleTimeoutMs: d.PROXY_POOL_IDLE_TIMEOUT_MS,
    },
    timeouts: {
      connectMs: d.PROXY_CONNECT_TIMEOUT_MS,
      responseMs: d.PROXY_RESPONSE_TIMEOUT_MS,
      clientIdleMs: d.PROXY_CLIENT_IDLE_TIMEOUT_MS,
      headerMs: d.PROXY_HEADER_TIMEOUT_MS,
      bodyMs: d.PROXY_BODY_TIMEOUT_MS,
      bodyMinRate: d.PROXY_BODY_MIN_RATE,
      bodyMinRateAfterMs: d.PROXY_BODY_MIN_RATE_AFTER_MS,
    },
    health: {
      enabled: d.PROXY_HEALTH_CHECKS,
      path: "/healthz",
      intervalMs: d.PROXY_HEALTH_INTERVAL_MS,
      timeoutMs: d.PROXY_HEALTH_TIMEOUT_MS,
      rise: d.PROXY_HEALTH_RISE,
      fall: d.PROXY_HEALTH_FALL,
    },
    ejection: { consecutive5xx: d.PROXY_EJECT_5XX, baseMs: 1000, maxMs: 30_000 },
    retries: d.PROXY_RETRIES,
    retryBufferBytes: 64 * 1024,
    limits: {
      maxBodyBytes: d.PROXY_MAX_BODY_BYTES,
      maxHeaderBytes: d.PROXY_MAX_HEADER_BYTES,
      maxConnsPerIp: d.PROXY_MAX_CONNS_PER_IP,
      bufferBodyBytes: d.PROXY_BUFFER_BODY_BYTES,
      maxInFlight: d.PROXY_MAX_IN_FLIGHT,
    },
    compression: {
      enabled: d.PROXY_COMPRESSION,
      minBytes: 1024,
      gzipLevel: d.PROXY_GZIP_LEVEL,
      brotliQuality: d.PROXY_BROTLI_QUALITY,
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
      contentSecurityPolicy: d.PROXY_CSP,
      frameOptions: "DENY",
      referrerPolicy: "strict-origin-when-cross-origin",
      permissionsPolicy: "camera=(), microphone=(), geolocation=()",
      strictTransportSecurity: d.PROXY_HSTS,
    },
    rateLimit: {
      enabled: d.PROXY_RATE_LIMIT,
      zones: d.PROXY_RATE_ZONES,
      redisUrl: platform.REDIS_URL,
      keyPrefix: d.PROXY_RATE_KEY_PREFIX,
    },
    static: {
      root: d.PROXY_STATIC_ROOT ?? join(import.meta.dir, "..", "web"),
      cacheMaxBytes: 32 * 1024 * 1024,
      cacheMaxFileBytes: 1024 * 1024,
    },
    tls: {
      certFile: platform.TLS_CERT_FILE,
      keyFile: platform.TLS_KEY_FILE,
      redirectHttp: d.PROXY_TLS_REDIRECT,
      publicPort: d.PROXY_PUBLIC_HTTPS_PORT,
    },
    h2: {
      enabled: d.PROXY_HTTP2,
      impl: d.PROXY_H2_IMPL,
      cleartext: d.PROXY_H2C,
      maxStreams: d.PROXY_H2_MAX_STREAMS,
      maxHeaderListBytes: d.PROXY_H2_MAX_HEADER_LIST_BYTES,
      maxContinuations: d.PROXY_H2_MAX_CONTINUATIONS,
      maxResetsPerSecond: d.PROXY_H2_MAX_RESETS_PER_SEC,
      maxControlPerSecond: d.PROXY_H2_MAX_CONTROL_PER_SEC,
      windowBytes: d.PROXY_H2_WINDOW_BYTES,
      sessionMemoryMb: d.PROXY_H2_SESSION_MEMORY_MB,
      sendTimeoutMs: d.PROXY_H2_SEND_TIMEOUT_MS,
    },
    accessLog: d.PROXY_ACCESS_LOG,
    logLevel: platform.LOG_LEVEL,
    jwtSecret: jwtSecret(platform),
    shutdownTimeoutMs: platform.SHUTDOWN_TIMEOUT_MS,
  };
}

/** Merges overrides one level deep (sections are merged, arrays replaced); `undefined` changes nothing. */
export function mergeConfig(base: ProxyConfig, over: ProxyOverrides): ProxyConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const cur = out[k];
    if (cur && typeof cur === "object" && !Array.isArray(cur) && typeof v === "object" && !Array.isArray(v)) {
      const section: Record<string, unknown> = { ...cur };
      for (const [field, value] of Object.entries(v as object))
        if (value !== undefined) section[field] = value;
      out[k] = section;
    } else out[k] = v;
  }
  return out as unknown as ProxyConfig;
}

/** The subset of parsed settings whose variable is set (non-empty) in `env`. */
function givenIn<T extends object>(values: T, env: Record<string, string | undefined>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(values) as (keyof T & string)[])
    if (env[key] !== undefined && env[key] !== "") out[key] = values[key];
  return out;
}

/**
 * Builds the proxy configuration from the environment (and PROXY_CONFIG_FILE).
 * Throws ConfigError naming every bad variable.
 */
export function loadProxyConfig(env: Record<string, string | undefined> = process.env): ProxyConfig {
  const platform = loadConfig(env);
  const settings = proxySettings.load(env);
  let cfg = defaultProxyConfig(platform);
  if (settings.PROXY_CONFIG_FILE)
    cfg = mergeConfig(cfg, JSON.parse(readFileSync(settings.PROXY_CONFIG_FILE, "utf8")) as ProxyOverrides);
  cfg = mergeConfig(cfg, fromSettings(givenIn(settings, env), givenIn(platform, env)));
  if (cfg.upstreams.length === 0) throw new Error("no upstreams configured");
  return cfg;
}
