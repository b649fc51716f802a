import { cpuSeconds } from "./processes.ts";
import { wrk } from "./wrk.ts";

/**
 * Paired measurement of two proxies: one wrk against each, run at the same
 * time, both proxies on the same core. Whatever else the machine is doing
 * slows both alike in that window, so the ratio of their req/s (and of their
 * CPU per request) compares their cost per request far more steadily than
 * runs taken one after another on a busy machine.
 */

/** A proxy taking part in a pair. */
export interface PairTarget {
  port: number;
  pids: () => number[];
}

/** One paired window: req/s and CPU µs per request of each side. */
export interface PairSample {
  after: number;
  before: number;
  cpuAfter: number | null;
  cpuBefore: number | null;
}

/** Runs both sides at once for `seconds` (after `warmup` s of the same); `flip` starts the other wrk first. */
export async function measurePair(
  before: PairTarget,
  after: PairTarget,
  path: string,
  headers: string[],
  conns: number,
  seconds: number,
  warmup: number,
  flip: boolean,
): Promise<PairSample> {
  const url = (t: PairTarget) => `http://127.0.0.1:${t.port}${path}`;
  const both = (s: number) => {
    const a = () => wrk(url(after), conns, s, headers);
    const b = () => wrk(url(before), conns, s, headers);
    return flip ? Promise.all([b(), a()]).then(([rb, ra]) => [ra, rb] as const) : Promise.all([a(), b()]);
  };
  if (warmup > 0) await both(warmup);
  const cpuA0 = cpuSeconds(after.pids());
  const cpuB0 = cpuSeconds(before.pids());
  const [ra, rb] = await both(seconds);
  const perReq = (cpu: number, n: number) => (n ? Math.round((cpu / n) * 1e7) / 10 : null);
  return {
    after: ra.rps,
    before: rb.rps,
    cpuAfter: perReq(cpuSeconds(after.pids()) - cpuA0, ra.requests),
    cpuBefore: perReq(cpuSeconds(before.pids()) - cpuB0, rb.requests),
  };
}
