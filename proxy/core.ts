import type { Logger } from "../platform/logger.ts";
import { type Tracer, tracer } from "../platform/tracing.ts";
import { AccessLog } from "./access-log.ts";
import { type Balancer, createBalancer } from "./balancer.ts";
import type { ProxyConfig } from "./config.ts";
import { type HeaderBlocks, securityHeaders } from "./headers.ts";
import { HealthChecker } from "./health.ts";
import { ProxyMetrics } from "./metrics.ts";
import { RateLimiter } from "./ratelimit.ts";
import { StaticFiles } from "./static.ts";
import { TrustedProxies } from "./trusted.ts";
import { Upstream } from "./upstream.ts";

/**
 * Everything the engine shares with the admin server and SIGHUP replaces: configuration, upstream
 * set, balancer, header blocks, rate limiter, static files, metrics, logs.
 */
export class ProxyCore {
  cfg: ProxyConfig;
  upstreams: Upstream[] = [];
  balancer: Balancer;
  headers: HeaderBlocks;
  readonly metrics: ProxyMetrics;
  readonly accessLog: AccessLog;
  readonly health: HealthChecker;
  readonly limiter: RateLimiter;
  readonly statics: StaticFiles;
  /** peers whose X-Forwarded-For is believed (`PROXY_TRUSTED_PROXIES`) */
  trusted: TrustedProxies;
  /** lets the engine close pooled sockets of upstreams a reload removed */
  onUpstreamRemoved: (u: Upstream) => void = () => {};
  idleSockets: (u: Upstream) => number = () => 0;
  /** the process's tracer when tracing is on (`platform/tracing.ts`), else null: the engine checks this once per request */
  readonly tracer: Tracer | null = tracer();
  /** lets the engine pick up pool settings on reload */
  onReload: (cfg: ProxyConfig) => void = () => {};

  constructor(
    cfg: ProxyConfig,
    readonly logger: Logger,
  ) {
    this.cfg = cfg;
    this.setUpstreams(cfg);
    this.balancer = createBalancer(cfg.balancer);
    this.headers = securityHeaders(cfg);
    this.metrics = new ProxyMetrics(
      () => this.upstreams,
      (u) => this.idleSockets(u),
    );
    this.accessLog = new AccessLog(cfg.accessLog);
    this.health = new HealthChecker(() => this.upstreams, cfg, logger);
    this.limiter = new RateLimiter(cfg, logger, this.metrics);
    this.statics = new StaticFiles(cfg);
    this.metrics.staticCacheBytes = () => this.statics.cachedBytes();
    this.trusted = new TrustedProxies(cfg.trustedProxies);
  }

  /** Picks an upstream for a request (excluding the one a retry moves away from). */
  pick(now: number, exclude?: Upstream): Upstream | null {
    return this.balancer.pick(this.upstreams, now, exclude);
  }

  private setUpstreams(cfg: ProxyConfig): void {
    const old = new Map(this.upstreams.map((u) => [u.id, u]));
    const next: Upstream[] = [];
    for (const spec of cfg.upstreams) {
      const id = `${spec.host}:${spec.port}`;
      const existing = old.get(id);
      if (existing) {
        existing.reconfigure(spec, cfg);
        old.delete(id);
        next.push(existing);
      } else next.push(new Upstream(spec, cfg));
    }
    this.upstreams = next;
    for (const gone of old.values()) this.onUpstreamRemoved(gone);
  }

  /** Applies a new configuration to running state; listeners and their ports stay as they are. */
  reload(cfg: ProxyConfig): void {
    const balancerChanged = cfg.balancer !== this.cfg.balancer;
    this.cfg = cfg;
    this.setUpstreams(cfg);
    if (balancerChanged) this.balancer = createBalancer(cfg.balancer);
    this.headers = securityHeaders(cfg);
    this.accessLog.setEnabled(cfg.accessLog);
    this.health.reconfigure(cfg);
    this.limiter.reconfigure(cfg);
    this.statics.reconfigure(cfg);
    this.trusted = new TrustedProxies(cfg.trustedProxies);
    this.onReload(cfg);
  }

  /** Upstream state for the admin endpoint. */
  status(): ReturnType<Upstream["status"]>[] {
    const now = Date.now();
    return this.upstreams.map((u) => u.status(now));
  }

  async close(): Promise<void> {
    this.health.stop();
    this.accessLog.flush();
    await this.limiter.close();
  }
}
