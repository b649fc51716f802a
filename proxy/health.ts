import type { Logger } from "../platform/logger.ts";
import type { ProxyConfig } from "./config.ts";
import type { Upstream } from "./upstream.ts";

/**
 * Active health checks: `GET <health.path>` on every upstream each interval;
 * `rise` successes bring an upstream back, `fall` failures take it out.
 */
export class HealthChecker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running = false;

  constructor(
    private readonly upstreams: () => readonly Upstream[],
    private cfg: ProxyConfig,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.cfg.health.enabled || this.timer) return;
    this.timer = setInterval(() => void this.round(), this.cfg.health.intervalMs);
    this.timer.unref();
    void this.round();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Applies a reloaded configuration (interval, thresholds, on/off). */
  reconfigure(cfg: ProxyConfig): void {
    this.cfg = cfg;
    this.stop();
    this.start();
  }

  private async round(): Promise<void> {
    if (this.running) return; // a slow round must not pile up behind itself
    this.running = true;
    try {
      await Promise.all(this.upstreams().map((u) => this.check(u)));
    } finally {
      this.running = false;
    }
  }

  private async check(u: Upstream): Promise<void> {
    const before = u.healthy;
    let ok = false;
    try {
      const res = await fetch(`http://${u.id}${this.cfg.health.path}`, {
        signal: AbortSignal.timeout(this.cfg.health.timeoutMs),
        headers: { "user-agent": "commerce-proxy-health" },
      });
      ok = res.status >= 200 && res.status < 400;
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      ok = false;
    }
    u.onCheck(ok);
    if (before !== u.healthy)
      this.logger.warn("upstream health changed", { upstream: u.id, healthy: u.healthy });
  }
}
