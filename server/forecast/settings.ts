import { defineSettings, int, knob } from "../../platform/settings.ts";

/** The demand forecast's settings group. */
export const forecastSettingsGroup = defineSettings("forecast", {
  FORECAST_HISTORY_DAYS: knob(int(14, 730), "120", "days of daily sales the demand forecast learns from"),
  FORECAST_HORIZON_DAYS: knob(int(7, 180), "28", "days ahead the demand forecast predicts"),
  FORECAST_LEAD_TIME_DAYS: knob(
    int(1, 180),
    "7",
    "days from a reorder to the goods on the shelf (reorder point, low-stock warning)",
  ),
  FORECAST_REVIEW_DAYS: knob(
    int(1, 90),
    "7",
    "days between two reorders of a SKU (the order covers lead time + this)",
  ),
});

/** What the forecast is configured with. */
export interface ForecastSettings {
  historyDays: number;
  horizonDays: number;
  leadTimeDays: number;
  reviewDays: number;
}

/** Reads the forecast settings from `env`; throws ConfigError naming bad variables. */
export function loadForecastSettings(env: Record<string, string | undefined>): ForecastSettings {
  const s = forecastSettingsGroup.load(env);
  return {
    historyDays: s.FORECAST_HISTORY_DAYS,
    horizonDays: s.FORECAST_HORIZON_DAYS,
    leadTimeDays: s.FORECAST_LEAD_TIME_DAYS,
    reviewDays: s.FORECAST_REVIEW_DAYS,
  };
}
