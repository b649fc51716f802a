/**
 * Price elasticity of demand from a SKU's own history: ordinary least squares
 * of ln(units) on ln(price) over days with sales, after dividing each day's
 * units by its weekday's index (so a price change that happened to start on a
 * weekend is not mistaken for a demand change). Pure.
 */

/** One day of sales: units sold, mean unit price, weekday (0–6). */
export interface PricedDay {
  quantity: number;
  price: number;
  weekday: number;
}

/** An estimate, or null with the reason when the history cannot support one. */
export type ElasticityEstimate =
  | { elasticity: number; r2: number; days: number; priceSpread: number }
  | { elasticity: null; reason: string };

/** Fewest days with sales, and the least relative price spread, that support an estimate. */
export const MIN_DAYS = 14;
export const MIN_SPREAD = 0.03;

/** Estimates the elasticity (negative: higher price, fewer units). */
export function estimateElasticity(days: PricedDay[]): ElasticityEstimate {
  const sold = days.filter((d) => d.quantity > 0 && d.price > 0);
  if (sold.length < MIN_DAYS) return { elasticity: null, reason: `fewer than ${MIN_DAYS} days with sales` };
  const prices = sold.map((d) => d.price);
  const spread = (Math.max(...prices) - Math.min(...prices)) / Math.min(...prices);
  if (spread < MIN_SPREAD)
    return { elasticity: null, reason: "the price has not changed enough to measure a response" };
  const overall = sold.reduce((a, d) => a + d.quantity, 0) / sold.length;
  const index = Array.from({ length: 7 }, (_, w) => {
    const on = sold.filter((d) => d.weekday === w);
    return on.length ? on.reduce((a, d) => a + d.quantity, 0) / on.length / overall : 1;
  });
  const x = sold.map((d) => Math.log(d.price));
  const y = sold.map((d) => Math.log(d.quantity / (index[d.weekday] || 1)));
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  const slope = sxy / sxx;
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  return {
    elasticity: Math.round(slope * 100) / 100,
    r2: Math.round(r2 * 100) / 100,
    days: sold.length,
    priceSpread: spread,
  };
}
