/** A cumulative latency histogram as `/admin/system.json` reports it (the last count is +Inf). */
export interface Histogram {
  bounds: number[];
  counts: number[];
}

/**
 * The 99th percentile, in seconds, of the requests that finished between two
 * cumulative histograms, interpolated inside its bucket (as Prometheus'
 * histogram_quantile does); null when no request finished in between or the
 * counters were reset.
 */
export function intervalP99(before: Histogram, after: Histogram): number | null {
  const counts = after.counts.map((n, i) => n - (before.counts[i] ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total <= 0 || counts.some((n) => n < 0)) return null;
  const rank = total * 0.99;
  const i = counts.findIndex((n) => n >= rank);
  if (i >= after.bounds.length) return after.bounds.at(-1) ?? null; // in +Inf: the largest finite bound
  const lower = i === 0 ? 0 : after.bounds[i - 1]!;
  const below = i === 0 ? 0 : counts[i - 1]!;
  const inBucket = counts[i]! - below;
  return lower + (after.bounds[i]! - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1);
}

/** Hits over lookups between two snapshots, 0..1; null without lookups in between. */
export function intervalRatio(
  before: { hits: number; lookups: number },
  after: { hits: number; lookups: number },
): number | null {
  const lookups = after.lookups - before.lookups;
  const hits = after.hits - before.hits;
  return lookups > 0 && hits >= 0 ? hits / lookups : null;
}
