import { expect, test } from "bun:test";
import { prng } from "../fraud/testing.ts";
import { advisePrice } from "./advice.ts";
import { estimateElasticity, type PricedDay } from "./elasticity.ts";

/** 90 days, the price stepping every two weeks among four levels, demand q = A·p^e × weekday × noise. */
function history(e: number, seed: number): PricedDay[] {
  const rnd = prng(seed);
  const levels = [900, 1000, 1100, 1250];
  const weekly = [1.6, 0.8, 0.8, 0.9, 1, 1.2, 1.7];
  return Array.from({ length: 90 }, (_, d) => {
    const price = levels[Math.floor(d / 14) % levels.length]!;
    const mean = 40 * (price / 1000) ** e * weekly[d % 7]!;
    return { quantity: Math.max(1, Math.round(mean * (0.8 + rnd() * 0.4))), price, weekday: d % 7 };
  });
}

test("recovers planted elasticities within ±0.35 (a constant estimate cannot)", () => {
  const found: string[] = [];
  for (const [k, e] of [-0.5, -1.5, -3].entries()) {
    const est = estimateElasticity(history(e, 40 + k));
    if (est.elasticity === null) throw new Error(est.reason);
    found.push(`${e} → ${est.elasticity} (R² ${est.r2})`);
    expect(Math.abs(est.elasticity - e)).toBeLessThan(0.35);
  }
  console.log(`elasticity, planted → estimated: ${found.join("; ")}`);
});

test("no estimate without price changes or enough days", () => {
  const flat = history(-2, 1).map((d) => ({ ...d, price: 1000 }));
  expect(estimateElasticity(flat).elasticity).toBeNull();
  expect(estimateElasticity(history(-2, 1).slice(0, 10)).elasticity).toBeNull();
});

test("advice: overstock → a bounded cut, stock-out risk → a raise, balanced → keep", () => {
  const estimate = { elasticity: -2, r2: 0.9, days: 60, priceSpread: 0.3 };
  const base = { currentPrice: 1000, dailyDemand: 10, estimate, leadTimeDays: 7 };
  const cut = advisePrice({ ...base, stock: 900 }); // 90 days of cover
  // Demand must rise by 900/45/10 = 2 → price × 2^(−1/2) ≈ 0.707, capped at 0.8.
  expect(cut.suggestedPrice).toBe(800);
  const raise = advisePrice({ ...base, stock: 50 }); // 5 days, lead time 7
  // Demand must fall to 50/7 ≈ 7.14/day → price × (0.714)^(−1/2) ≈ 1.183, capped at 1.15.
  expect(raise.suggestedPrice).toBe(1150);
  const mild = advisePrice({ ...base, stock: 650 }); // 65 days → × (650/45/10)^(−1/2) ≈ 0.832
  expect(mild.suggestedPrice).toBe(832);
  expect(advisePrice({ ...base, stock: 300 }).suggestedPrice).toBeNull();
  expect(advisePrice({ ...base, stock: 300, dailyDemand: 0 }).reasons[0]).toContain("no demand");
});
