import type { Registry } from "./metrics.ts";

/**
 * CPU, memory and event-loop delay of the current process, the same series
 * names in the proxy, the app instances and the workers (dashboards and alerts
 * select them by `job`).
 *
 * Event-loop delay is measured by a timer that should fire every
 * SAMPLE_MS: how late it fires is time the loop spent on something else.
 * (`perf_hooks.monitorEventLoopDelay` exists under Bun 1.4 but reported 2 ms
 * for a 200 ms block when tried, so it is not used.)
 */
const SAMPLE_MS = 25;
/** Lateness buckets in seconds: a healthy loop stays in the first two. */
const delayBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface LoopDelay {
  /** Per bucket (not cumulative; the last slot is +Inf). */
  counts: number[];
  sum: number;
  count: number;
  /** Largest lateness since the last read of `takeMax`. */
  max: number;
}

let loop: LoopDelay | null = null;

/** Starts the one lateness sampler of this process (shared by every registry that asks). */
function loopDelay(): LoopDelay {
  if (loop) return loop;
  const state: LoopDelay = { counts: new Array(delayBuckets.length + 1).fill(0), sum: 0, count: 0, max: 0 };
  let expected = performance.now() + SAMPLE_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = Math.max(0, now - expected) / 1000;
    expected = now + SAMPLE_MS;
    let i = 0;
    while (i < delayBuckets.length && late > delayBuckets[i]!) i++;
    state.counts[i]!++;
    state.sum += late;
    state.count++;
    if (late > state.max) state.max = late;
  }, SAMPLE_MS);
  // Never keeps a process alive that is otherwise done.
  timer.unref?.();
  loop = state;
  return state;
}

/**
 * Registers `process_cpu_seconds_total` (by mode: user, system),
 * `process_resident_memory_bytes`, `process_heap_bytes`,
 * `process_start_time_seconds`, `process_event_loop_delay_seconds` (histogram
 * of timer lateness) and `process_event_loop_delay_max_seconds` (largest
 * lateness since the previous scrape) on `registry`.
 */
export function registerProcessMetrics(registry: Registry): void {
  const delay = loopDelay();
  const startedAt = Date.now() / 1000 - process.uptime();
  registry.counter("process_cpu_seconds_total", "CPU time used by this process, by mode", (c) => {
    const u = process.cpuUsage();
    c.set({ mode: "user" }, u.user / 1e6);
    c.set({ mode: "system" }, u.system / 1e6);
  });
  registry.gauge("process_resident_memory_bytes", "resident set size", (g) => {
    g.set({}, process.memoryUsage.rss());
  });
  registry.gauge("process_heap_bytes", "JavaScript heap in use", (g) => {
    g.set({}, process.memoryUsage().heapUsed);
  });
  registry.gauge("process_start_time_seconds", "process start, seconds since the epoch", (g) => {
    g.set({}, Math.round(startedAt));
  });
  registry.gauge(
    "process_event_loop_delay_max_seconds",
    "largest event-loop delay since the previous scrape",
    (g) => {
      g.set({}, delay.max);
      delay.max = 0;
    },
  );
  registry.custom("process_event_loop_delay_seconds", () => renderDelay(delay));
}

function renderDelay(d: LoopDelay): string {
  const name = "process_event_loop_delay_seconds";
  const lines = [
    `# HELP ${name} how late a ${SAMPLE_MS} ms timer fires: time the event loop was busy elsewhere`,
    `# TYPE ${name} histogram`,
  ];
  let cumulative = 0;
  delayBuckets.forEach((b, i) => {
    cumulative += d.counts[i]!;
    lines.push(`${name}_bucket{le="${b}"} ${cumulative}`);
  });
  lines.push(`${name}_bucket{le="+Inf"} ${d.count}`, `${name}_sum ${d.sum}`, `${name}_count ${d.count}`);
  return lines.join("\n");
}
