import { expect, test } from "bun:test";
import { prng } from "../fraud/testing.ts";
import { type Forecast, holt, holtWinters, mape, naive, seasonalNaive } from "./models.ts";

/**
 * Backtest on generated daily sales with a known weekly pattern (weekends
 * sell more or less, per SKU), a trend and noise: 24 SKUs × 120 days, the
 * models fit the first 92 days and forecast the last 28.
 */
function series(seed: number): number[] {
  const rnd = prng(seed);
  const base = 10 + rnd() * 40;
  const trend = (rnd() - 0.4) * 0.3;
  const weekly = Array.from({ length: 7 }, () => (rnd() - 0.5) * base * 0.8);
  return Array.from({ length: 120 }, (_, d) =>
    Math.max(0, Math.round(base + trend * d + weekly[d % 7]! + (rnd() - 0.5) * base * 0.25)),
  );
}

test("Holt-Winters beats naive and Holt on weekly-seasonal sales (MAPE printed for docs/ai.md)", () => {
  const models: Record<string, (s: number[], h: number) => Forecast> = {
    naive,
    seasonal_naive: seasonalNaive,
    holt,
    holt_winters: holtWinters,
  };
  const totals: Record<string, number> = {};
  const skus = 24;
  for (let k = 0; k < skus; k++) {
    const s = series(100 + k);
    const train = s.slice(0, 92);
    const test = s.slice(92);
    for (const [name, model] of Object.entries(models))
      totals[name] = (totals[name] ?? 0) + mape(test, model(train, test.length).values) / skus;
  }
  console.log(
    `forecast backtest, mean MAPE over ${skus} SKUs, 28-day horizon: ${Object.entries(totals)
      .map(([n, v]) => `${n} ${(100 * v).toFixed(1)}%`)
      .join(", ")}`,
  );
  expect(totals.holt_winters!).toBeLessThan(totals.naive! * 0.7);
  expect(totals.holt_winters!).toBeLessThan(totals.holt!);
  expect(totals.holt_winters!).toBeLessThan(totals.seasonal_naive!);
});

test("without enough history for a season, the forecast falls back to Holt; constant series stay constant", () => {
  expect(holtWinters([5, 6, 7, 8, 9, 10, 11, 12], 3).model).toBe("holt");
  const flat = holtWinters(Array(35).fill(4), 7);
  for (const v of flat.values) expect(v).toBeCloseTo(4, 6);
  expect(mape([0, 2], [5, 1])).toBe(0.5);
});
