import { expect, test } from "bun:test";
import { Registry } from "./metrics.ts";
import { registerProcessMetrics } from "./process-metrics.ts";

const sample = (text: string, name: string): number => {
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, "m").exec(text);
  if (!m) throw new Error(`${name} not in:\n${text}`);
  return Number(m[1]);
};

test("CPU by mode, resident memory and start time are rendered as Prometheus text", () => {
  const r = new Registry();
  registerProcessMetrics(r);
  const text = r.render();
  expect(text).toContain("# TYPE process_cpu_seconds_total counter");
  expect(text).toMatch(/^process_cpu_seconds_total\{mode="user"\} \d/m);
  expect(text).toMatch(/^process_cpu_seconds_total\{mode="system"\} \d/m);
  expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
  expect(
    Math.abs(sample(text, "process_start_time_seconds") - (Date.now() / 1000 - process.uptime())),
  ).toBeLessThan(2);
  expect(text).toContain("# TYPE process_event_loop_delay_seconds histogram");
});

test("a blocked event loop shows in the delay histogram and the max since the last scrape", async () => {
  const r = new Registry();
  registerProcessMetrics(r);
  r.render(); // resets the max
  await Bun.sleep(60);
  const started = performance.now();
  while (performance.now() - started < 200) {} // the loop is busy for 200 ms
  await Bun.sleep(60); // the sampler fires late once, then catches up
  const text = r.render();
  expect(sample(text, "process_event_loop_delay_max_seconds")).toBeGreaterThan(0.15);
  expect(sample(text, 'process_event_loop_delay_seconds_bucket\\{le="\\+Inf"\\}')).toBeGreaterThan(
    sample(text, 'process_event_loop_delay_seconds_bucket\\{le="0.1"\\}'),
  );
  // The max is per scrape: a scrape right after (no timer ran in between) reports 0.
  expect(sample(r.render(), "process_event_loop_delay_max_seconds")).toBe(0);
});

test("two registries in one process share one sampler and both render it", () => {
  const a = new Registry();
  const b = new Registry();
  registerProcessMetrics(a);
  registerProcessMetrics(b);
  expect(a.render()).toContain("process_event_loop_delay_seconds_count");
  expect(b.render()).toContain("process_event_loop_delay_seconds_count");
});
