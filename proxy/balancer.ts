import type { BalancerKind } from "./config.ts";
import type { Upstream } from "./upstream.ts";

/** Picks an upstream among those available, or null when none is. */
export interface Balancer {
  pick(upstreams: readonly Upstream[], now: number, exclude?: Upstream): Upstream | null;
}

const usable = (u: Upstream, now: number, exclude?: Upstream) => u !== exclude && u.available(now);

/**
 * Smooth weighted round-robin (the nginx algorithm): each pick adds every
 * weight to its upstream's counter and takes the largest, so weights 5:1:1
 * interleave instead of sending five in a row to the first.
 */
export class RoundRobin implements Balancer {
  pick(upstreams: readonly Upstream[], now: number, exclude?: Upstream): Upstream | null {
    let best: Upstream | null = null;
    let total = 0;
    for (const u of upstreams) {
      if (!usable(u, now, exclude)) continue;
      u.current += u.weight;
      total += u.weight;
      if (!best || u.current > best.current) best = u;
    }
    if (best) best.current -= total;
    return best;
  }
}

/** Fewest in-flight requests per unit of weight; ties rotate so idle upstreams share work. */
export class LeastConnections implements Balancer {
  private rotor = 0;
  pick(upstreams: readonly Upstream[], now: number, exclude?: Upstream): Upstream | null {
    let best: Upstream | null = null;
    let bestScore = Number.POSITIVE_INFINITY;
    const n = upstreams.length;
    const start = this.rotor++ % Math.max(1, n);
    for (let k = 0; k < n; k++) {
      const u = upstreams[(start + k) % n]!;
      if (!usable(u, now, exclude)) continue;
      const score = u.active / u.weight;
      if (score < bestScore) {
        best = u;
        bestScore = score;
      }
    }
    return best;
  }
}

/**
 * Power of two choices on peak-EWMA latency × (in-flight + 1) / weight:
 * two random candidates (weighted), the cheaper wins. Cheap, and it moves load
 * away from a slow instance without herding onto a single "best" one.
 */
export class P2cEwma implements Balancer {
  constructor(private readonly random: () => number = Math.random) {}

  pick(upstreams: readonly Upstream[], now: number, exclude?: Upstream): Upstream | null {
    const candidates: Upstream[] = [];
    let total = 0;
    for (const u of upstreams)
      if (usable(u, now, exclude)) {
        candidates.push(u);
        total += u.weight;
      }
    if (candidates.length <= 1) return candidates[0] ?? null;
    const a = this.weighted(candidates, total);
    let b = this.weighted(candidates, total);
    for (let tries = 0; b === a && tries < 4; tries++) b = this.weighted(candidates, total);
    if (b === a) b = candidates[(candidates.indexOf(a) + 1) % candidates.length]!;
    return this.cost(a) <= this.cost(b) ? a : b;
  }

  private cost(u: Upstream): number {
    return ((u.ewma + 1) * (u.active + 1)) / u.weight;
  }

  private weighted(list: Upstream[], total: number): Upstream {
    let r = this.random() * total;
    for (const u of list) {
      r -= u.weight;
      if (r < 0) return u;
    }
    return list[list.length - 1]!;
  }
}

/** The balancer named in the configuration. */
export function createBalancer(kind: BalancerKind): Balancer {
  switch (kind) {
    case "round-robin":
      return new RoundRobin();
    case "least-connections":
      return new LeastConnections();
    case "p2c-ewma":
      return new P2cEwma();
  }
}
