import { expect, test } from "bun:test";
import { intervalP99, intervalRatio } from "./p99.ts";

const bounds = [0.001, 0.005, 0.01, 0.05];

test("p99 of the interval, interpolated inside its bucket", () => {
  const before = { bounds, counts: [10, 10, 10, 10, 10] };
  // 100 new requests: 90 under 1 ms, 9 more under 5 ms, 1 under 10 ms
  const after = { bounds, counts: [100, 109, 110, 110, 110] };
  expect(intervalP99(before, after)).toBeCloseTo(0.005, 6);
  // 200 new: 100 under 1 ms, 100 between 10 and 50 ms: rank 198 is 98/100 into that bucket
  const zero = { bounds, counts: [0, 0, 0, 0, 0] };
  const later = { bounds, counts: [100, 100, 100, 200, 200] };
  expect(intervalP99(zero, later)).toBeCloseTo(0.01 + 0.04 * 0.98, 6);
});

test("no traffic or a counter reset gives no point; slower than every bound gives the largest bound", () => {
  const h = { bounds, counts: [1, 2, 3, 4, 5] };
  expect(intervalP99(h, h)).toBeNull();
  expect(intervalP99(h, { bounds, counts: [0, 0, 0, 0, 1] })).toBeNull();
  expect(intervalP99(h, { bounds, counts: [1, 2, 3, 4, 105] })).toBe(0.05);
});

test("hit ratio of the interval", () => {
  expect(intervalRatio({ hits: 10, lookups: 20 }, { hits: 19, lookups: 30 })).toBeCloseTo(0.9);
  expect(intervalRatio({ hits: 10, lookups: 20 }, { hits: 10, lookups: 20 })).toBeNull();
});
