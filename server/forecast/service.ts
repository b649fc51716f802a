import type { Sql } from "../../db/client.ts";
import { getStock } from "../inventory/stock.ts";
import { type DailySale, dailySales } from "../orders/sales.ts";
import { forecast } from "./models.ts";
import type { ForecastSettings } from "./settings.ts";

/** One SKU's demand outlook: the forecast, how long the stock lasts, and what to reorder. */
export interface SkuOutlook {
  sku: string;
  stock: number;
  /** Null when the SKU has no sales in the history window (no forecast: "no result"). */
  model: string | null;
  /** Units per day for the next `horizon` days. */
  forecast: number[];
  /** Mean units per day over the forecast. */
  daily_demand: number;
  /** Stock ÷ daily demand; null without demand. */
  days_of_cover: number | null;
  reorder: { needed: boolean; reorder_point: number; suggested_quantity: number };
}

/** z for a 95 % service level: the safety stock covers the forecast error 95 % of the time. */
const Z95 = 1.65;

/** Fills the days without sales with zeros: `days` values, oldest first, ending yesterday (UTC). */
export function dailySeries(sales: DailySale[], days: number, today = new Date()): number[] {
  const byDay = new Map(sales.map((s) => [s.day, s.quantity]));
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000;
  return Array.from(
    { length: days },
    (_, i) => byDay.get(new Date(start + i * 86_400_000).toISOString().slice(0, 10)) ?? 0,
  );
}

/** Forecast, days of cover and reorder suggestion from a series and the stock (pure). */
export function outlook(sku: string, series: number[], stock: number, s: ForecastSettings): SkuOutlook {
  if (!series.some((q) => q > 0)) {
    return {
      sku,
      stock,
      model: null,
      forecast: [],
      daily_demand: 0,
      days_of_cover: null,
      reorder: { needed: false, reorder_point: 0, suggested_quantity: 0 },
    };
  }
  // Only from the first sale on: days before a product existed are not zero demand.
  const first = series.findIndex((q) => q > 0);
  const f = forecast(series.slice(first), Math.max(s.horizonDays, s.leadTimeDays + s.reviewDays));
  const sum = (n: number) => f.values.slice(0, n).reduce((a, b) => a + b, 0);
  const daily = sum(s.horizonDays) / s.horizonDays;
  const reorderPoint = sum(s.leadTimeDays) + Z95 * f.sigma * Math.sqrt(s.leadTimeDays);
  const cycle = s.leadTimeDays + s.reviewDays;
  const target = sum(cycle) + Z95 * f.sigma * Math.sqrt(cycle);
  const needed = stock <= reorderPoint;
  return {
    sku,
    stock,
    model: f.model,
    forecast: f.values.slice(0, s.horizonDays).map((v) => Math.round(v * 100) / 100),
    daily_demand: Math.round(daily * 100) / 100,
    days_of_cover: daily > 0 ? Math.round((stock / daily) * 10) / 10 : null,
    reorder: {
      needed,
      reorder_point: Math.ceil(reorderPoint),
      suggested_quantity: needed ? Math.max(0, Math.ceil(target - stock)) : 0,
    },
  };
}

/** The outlook of one SKU from its sales and stock. */
export async function skuOutlook(sql: Sql, sku: string, s: ForecastSettings): Promise<SkuOutlook> {
  const [sales, stock] = await Promise.all([dailySales(sql, [sku], s.historyDays), getStock(sql, [sku])]);
  return outlook(sku, dailySeries(sales, s.historyDays), stock.get(sku) ?? 0, s);
}

/**
 * SKUs that sold in the history window and whose stock is at or below their
 * reorder point, fewest days of cover first.
 */
export async function lowStock(sql: Sql, s: ForecastSettings, limit: number): Promise<SkuOutlook[]> {
  const sales = await dailySales(sql, null, s.historyDays);
  const bySku = new Map<string, DailySale[]>();
  for (const row of sales) bySku.set(row.sku, [...(bySku.get(row.sku) ?? []), row]);
  const stock = await getStock(sql, [...bySku.keys()]);
  return [...bySku]
    .map(([sku, rows]) => outlook(sku, dailySeries(rows, s.historyDays), stock.get(sku) ?? 0, s))
    .filter((o) => o.reorder.needed)
    .sort((a, b) => (a.days_of_cover ?? 0) - (b.days_of_cover ?? 0))
    .slice(0, limit);
}
