import type { ProxyConfig, UpstreamSpec } from "./config.ts";

/**
 * One upstream app instance as the proxy sees it: health from active checks,
 * passive ejection with exponential backoff, in-flight count and a peak-EWMA
 * of response latency (for p2c-ewma).
 */
export class Upstream {
  readonly id: string;
  /** requests in flight */
  active = 0;
  /** open sockets (idle + busy + connecting) */
  open = 0;
  /** result of the active health checks; optimistic until the first check says otherwise */
  healthy = true;
  private checkOk = 0;
  private checkFail = 0;
  /** passive ejection: no traffic before this time (ms since epoch) */
  ejectedUntil = 0;
  private ejections = 0;
  private consecutive5xx = 0;
  /** peak-EWMA latency in ms */
  ewma = 0;
  private ewmaAt = 0;
  /** smooth weighted round-robin state */
  current = 0;

  constructor(
    readonly spec: UpstreamSpec,
    private cfg: ProxyConfig,
  ) {
    this.id = `${spec.host}:${spec.port}`;
  }

  get weight(): number {
    return this.spec.weight;
  }

  /** Applies a reloaded configuration (same host:port, maybe new weight/thresholds). */
  reconfigure(spec: UpstreamSpec, cfg: ProxyConfig): void {
    (this as { spec: UpstreamSpec }).spec = spec;
    this.cfg = cfg;
  }

  /** True when the upstream may receive a request now. */
  available(now: number): boolean {
    return this.healthy && now >= this.ejectedUntil && this.open < this.cfg.pool.maxPerUpstream;
  }

  /** Takes the upstream out of rotation for base·2^n ms (capped). */
  eject(now: number): void {
    const { baseMs, maxMs } = this.cfg.ejection;
    const ms = Math.min(maxMs, baseMs * 2 ** Math.min(this.ejections, 20));
    this.ejections++;
    this.ejectedUntil = now + ms;
    this.consecutive5xx = 0;
  }

  /** A connect error or a connection lost before the response. */
  onFailure(now: number): void {
    this.eject(now);
  }

  /** A response arrived; 5xx streaks eject, anything else resets the backoff. */
  onResponse(status: number, latencyMs: number, now: number): void {
    this.observeLatency(latencyMs, now);
    if (status >= 500) {
      if (++this.consecutive5xx >= this.cfg.ejection.consecutive5xx) this.eject(now);
    } else {
      this.consecutive5xx = 0;
      if (now >= this.ejectedUntil) this.ejections = 0;
    }
  }

  /** Peak EWMA: jumps up to a slow sample at once, decays towards fast ones over ~10 s. */
  observeLatency(ms: number, now: number): void {
    if (ms > this.ewma || this.ewmaAt === 0) this.ewma = ms;
    else {
      const w = Math.exp(-(now - this.ewmaAt) / 10_000);
      this.ewma = this.ewma * w + ms * (1 - w);
    }
    this.ewmaAt = now;
  }

  /** Records an active health-check result against the rise/fall thresholds. */
  onCheck(ok: boolean): void {
    if (ok) {
      this.checkFail = 0;
      if (!this.healthy && ++this.checkOk >= this.cfg.health.rise) {
        this.healthy = true;
        this.ejectedUntil = 0;
        this.ejections = 0;
      }
    } else {
      this.checkOk = 0;
      if (this.healthy && ++this.checkFail >= this.cfg.health.fall) this.healthy = false;
    }
  }

  /** State for the admin endpoint and metrics. */
  status(now: number): {
    id: string;
    healthy: boolean;
    ejected: boolean;
    active: number;
    open: number;
    ewmaMs: number;
  } {
    return {
      id: this.id,
      healthy: this.healthy,
      ejected: now < this.ejectedUntil,
      active: this.active,
      open: this.open,
      ewmaMs: Math.round(this.ewma * 100) / 100,
    };
  }
}
