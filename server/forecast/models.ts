/**
 * Forecasting models over a daily series (units sold per day, oldest first).
 * Pure functions: the data comes from `sales.ts`, the evaluation from the
 * backtest test. Parameters are fitted by grid search on one-step-ahead
 * squared error over the history.
 */

/** A fitted model's forecast for the next `horizon` days. */
export interface Forecast {
  model: "naive" | "seasonal_naive" | "holt" | "holt_winters";
  values: number[];
  /** Standard deviation of the one-step-ahead errors over the history (0 for the naive models). */
  sigma: number;
  params: Record<string, number>;
}

/** The weekly season. */
export const SEASON = 7;
const GRID = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7];
const clampPositive = (xs: number[]) => xs.map((x) => Math.max(0, x));

/** Tomorrow and every later day equal today. */
export function naive(series: number[], horizon: number): Forecast {
  const last = series.at(-1) ?? 0;
  return { model: "naive", values: Array(horizon).fill(last), sigma: 0, params: {} };
}

/** Each weekday equals the same weekday last week. */
export function seasonalNaive(series: number[], horizon: number): Forecast {
  const n = series.length;
  const values = Array.from(
    { length: horizon },
    (_, h) => series[n - SEASON + (h % SEASON)] ?? series.at(-1) ?? 0,
  );
  return { model: "seasonal_naive", values, sigma: 0, params: {} };
}

/** Holt's linear trend method: level and trend, one-step errors. */
function holtRun(y: number[], alpha: number, beta: number) {
  let level = y[0]!;
  let trend = y.length > 1 ? y[1]! - y[0]! : 0;
  let sse = 0;
  const errors: number[] = [];
  for (let t = 1; t < y.length; t++) {
    const predicted = level + trend;
    const e = y[t]! - predicted;
    errors.push(e);
    sse += e * e;
    const prev = level;
    level = alpha * y[t]! + (1 - alpha) * (level + trend);
    trend = beta * (level - prev) + (1 - beta) * trend;
  }
  return { level, trend, sse, errors };
}

/** Exponential smoothing with trend (Holt), damped-free, parameters by grid search. */
export function holt(series: number[], horizon: number): Forecast {
  if (series.length < 3) return naive(series, horizon);
  let best = { alpha: 0.3, beta: 0.1, run: holtRun(series, 0.3, 0.1) };
  for (const alpha of GRID)
    for (const beta of GRID) {
      const run = holtRun(series, alpha, beta);
      if (run.sse < best.run.sse) best = { alpha, beta, run };
    }
  const { level, trend, errors } = best.run;
  return {
    model: "holt",
    values: clampPositive(Array.from({ length: horizon }, (_, h) => level + (h + 1) * trend)),
    sigma: std(errors),
    params: { alpha: best.alpha, beta: best.beta },
  };
}

/** Additive Holt-Winters: level, trend and a weekly season (initialised from the first two weeks). */
function wintersRun(y: number[], alpha: number, beta: number, gamma: number) {
  const m = SEASON;
  const first = mean(y.slice(0, m));
  const second = mean(y.slice(m, 2 * m));
  let level = first;
  let trend = (second - first) / m;
  const season = y.slice(0, m).map((v) => v - first);
  let sse = 0;
  const errors: number[] = [];
  for (let t = m; t < y.length; t++) {
    const s = season[t % m]!;
    const predicted = level + trend + s;
    const e = y[t]! - predicted;
    errors.push(e);
    sse += e * e;
    const prev = level;
    level = alpha * (y[t]! - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - prev) + (1 - beta) * trend;
    season[t % m] = gamma * (y[t]! - level) + (1 - gamma) * s;
  }
  return { level, trend, season, sse, errors, next: y.length };
}

/** Holt-Winters with weekly seasonality; needs at least four weeks, else Holt. */
export function holtWinters(series: number[], horizon: number): Forecast {
  if (series.length < 4 * SEASON) return holt(series, horizon);
  let best: { a: number; b: number; g: number; run: ReturnType<typeof wintersRun> } | null = null;
  for (const a of GRID)
    for (const b of [0.01, 0.05, 0.1, 0.2])
      for (const g of [0.05, 0.1, 0.2, 0.4]) {
        const run = wintersRun(series, a, b, g);
        if (!best || run.sse < best.run.sse) best = { a, b, g, run };
      }
  const { level, trend, season, errors, next } = best!.run;
  return {
    model: "holt_winters",
    values: clampPositive(
      Array.from({ length: horizon }, (_, h) => level + (h + 1) * trend + season[(next + h) % SEASON]!),
    ),
    sigma: std(errors),
    params: { alpha: best!.a, beta: best!.b, gamma: best!.g },
  };
}

/** The model the service uses: Holt-Winters when the history allows a weekly season, else Holt. */
export function forecast(series: number[], horizon: number): Forecast {
  return holtWinters(series, horizon);
}

/** Mean absolute percentage error over days with actual sales (days of zero sales are skipped). */
export function mape(actual: number[], predicted: number[]): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i]! <= 0) continue;
    sum += Math.abs(actual[i]! - predicted[i]!) / actual[i]!;
    n++;
  }
  return n ? sum / n : 0;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

function std(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
