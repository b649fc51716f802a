/**
 * A small seeded PRNG (mulberry32) and the distributions the demo catalog
 * draws from. Every product gets its own generator derived from the catalog
 * seed and its position, so product N is the same whatever the catalog size
 * (the 10k test catalog is the first 10k of the 100k one).
 */
import { mulberry32 } from "../../platform/prng.ts";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

/** 32-bit hash of a string (FNV-1a), to derive stable per-name choices. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator for `seed` (any 32-bit integer); `stream` separates independent sequences. */
export function createRng(seed: number, stream = 0): Rng {
  // Mixing the stream with a large odd constant keeps neighbouring streams uncorrelated.
  const next = mulberry32(seed ^ Math.imul(stream + 1, 0x9e3779b1));
  // Warm up: the first outputs of nearby seeds are correlated.
  for (let i = 0; i < 4; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => {
      if (!xs.length) throw new Error("pick from an empty list");
      return xs[Math.floor(next() * xs.length)]!;
    },
    chance: (p) => next() < p,
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}
