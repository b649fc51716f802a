import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../platform/logger.ts";
import { createRedis, type Redis } from "../platform/redis.ts";
import type { ProxyConfig, RateZone } from "./config.ts";
import type { ProxyMetrics } from "./metrics.ts";
import { normalisePath } from "./path.ts";

/** The outcome for one request; seconds are rounded up for the headers. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the bucket is full again */
  resetS: number;
  /** seconds until the next request would pass (when rejected) */
  retryAfterS: number;
}

const script = readFileSync(join(import.meta.dir, "ratelimit.lua"), "utf8");

/**
 * Token-bucket rate limiting in Redis (one EVALSHA per request, the Lua script
 * reads Redis TIME), with an in-process bucket per key while Redis cannot be
 * reached: limits degrade to per-proxy-process instead of failing requests.
 */
export class RateLimiter {
  private redis: Redis | null = null;
  private sha: string | null = null;
  private local = new Map<string, { tokens: number; ts: number }>();
  private usingLocal = false;
  private sweepTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private cfg: ProxyConfig,
    private readonly logger: Logger,
    private readonly metrics: ProxyMetrics,
  ) {
    this.connect();
  }

  private connect(): void {
    if (!this.cfg.rateLimit.enabled || !this.cfg.rateLimit.redisUrl || this.redis) return;
    this.redis = createRedis(this.cfg.rateLimit.redisUrl, undefined, "proxy-ratelimit");
    // createRedis logs every outage; the limiter reports its own fallback once instead.
    this.redis.on("error", () => {});
  }

  reconfigure(cfg: ProxyConfig): void {
    const urlChanged = cfg.rateLimit.redisUrl !== this.cfg.rateLimit.redisUrl;
    this.cfg = cfg;
    if (urlChanged || !cfg.rateLimit.enabled) {
      this.redis?.disconnect();
      this.redis = null;
      this.sha = null;
    }
    this.connect();
  }

  /**
   * The zone a path falls in (first prefix match on the normalised path, as
   * the app routes it), or undefined when unlimited.
   */
  zoneFor(path: string): RateZone | undefined {
    if (!this.cfg.rateLimit.enabled) return undefined;
    const p = normalisePath(path);
    for (const z of this.cfg.rateLimit.zones) if (p.startsWith(z.prefix)) return z;
    return undefined;
  }

  /**
   * Takes the request's tokens: the user's bucket when a token names one, the
   * client IP's otherwise; in a `byIp` zone the IP's always, plus the user's
   * when there is one (the stricter decision wins).
   */
  async takeFor(zone: RateZone, ip: string, user: string | null): Promise<RateDecision> {
    if (!zone.byIp) return this.take(zone, user ? `u:${user}` : `ip:${ip}`);
    const byIp = await this.take(zone, `ip:${ip}`);
    if (!user || !byIp.allowed) return byIp;
    const byUser = await this.take(zone, `u:${user}`);
    return byUser.allowed && byUser.remaining >= byIp.remaining ? byIp : byUser;
  }

  /** Takes one token for `who` (user id or IP) in `zone`. Never throws. */
  async take(zone: RateZone, who: string): Promise<RateDecision> {
    const key = `${this.cfg.rateLimit.keyPrefix}${zone.name}:${who}`;
    let decision: RateDecision | null = null;
    if (this.redis && this.redis.status === "ready") {
      try {
        decision = await this.takeRedis(this.redis, zone, key);
        if (this.usingLocal) {
          this.usingLocal = false;
          this.metrics.rateLimitFallback.set({}, 0);
          this.logger.info("rate limiter: Redis reachable again, using shared buckets");
        }
      } catch (err) {
        this.fallback(err);
      }
    } else if (this.cfg.rateLimit.redisUrl)
      this.fallback(new Error(`redis ${this.redis?.status ?? "absent"}`));
    decision ??= this.takeLocal(zone, key);
    if (!decision.allowed) this.metrics.rateLimited.inc({ zone: zone.name });
    return decision;
  }

  private fallback(err: unknown): void {
    if (this.usingLocal) return;
    this.usingLocal = true;
    this.metrics.rateLimitFallback.set({}, 1);
    this.logger.warn("rate limiter: Redis unreachable, falling back to in-process buckets", {
      err: err instanceof Error ? err.message : String(err),
    });
  }

  private async takeRedis(redis: Redis, zone: RateZone, key: string): Promise<RateDecision> {
    let raw: unknown;
    try {
      if (!this.sha) this.sha = (await redis.script("LOAD", script)) as string;
      raw = await redis.evalsha(this.sha, 1, key, zone.rate, zone.burst);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes("NOSCRIPT")) throw err;
      // Redis restarted (script cache flushed): load again and retry once.
      this.sha = (await redis.script("LOAD", script)) as string;
      raw = await redis.evalsha(this.sha, 1, key, zone.rate, zone.burst);
    }
    const [allowed, tokens, waitMs, fullMs] = raw as [number, string, number, number];
    return decide(zone, allowed === 1, Number(tokens), waitMs, fullMs);
  }

  private takeLocal(zone: RateZone, key: string): RateDecision {
    const now = Date.now();
    let b = this.local.get(key);
    if (!b) {
      b = { tokens: zone.burst, ts: now };
      this.local.set(key, b);
      this.startSweep();
    }
    b.tokens = Math.min(zone.burst, b.tokens + ((now - b.ts) * zone.rate) / 1000);
    b.ts = now;
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    const waitMs = allowed ? 0 : Math.ceil(((1 - b.tokens) / zone.rate) * 1000);
    return decide(zone, allowed, b.tokens, waitMs, Math.ceil(((zone.burst - b.tokens) / zone.rate) * 1000));
  }

  private startSweep(): void {
    if (this.sweepTimer) return;
    // Forget full buckets so the map does not grow with every client ever seen.
    this.sweepTimer = setInterval(() => {
      const now = Date.now();
      for (const [k, b] of this.local) if (now - b.ts > 60_000) this.local.delete(k);
    }, 30_000);
    this.sweepTimer.unref();
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    const r = this.redis;
    this.redis = null;
    if (r) await r.quit().catch(() => r.disconnect());
  }
}

function decide(
  zone: RateZone,
  allowed: boolean,
  tokens: number,
  waitMs: number,
  fullMs: number,
): RateDecision {
  return {
    allowed,
    limit: zone.burst,
    remaining: Math.max(0, Math.floor(tokens)),
    resetS: Math.max(0, Math.ceil(fullMs / 1000)),
    retryAfterS: allowed ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
  };
}
