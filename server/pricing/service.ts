import type { Sql } from "../../db/client.ts";
import { notFound } from "../../platform/problem.ts";
import { getSkuDetails } from "../catalog/skus.ts";
import { dailySeries, outlook } from "../forecast/service.ts";
import type { ForecastSettings } from "../forecast/settings.ts";
import { getStock } from "../inventory/stock.ts";
import { dailySales } from "../orders/sales.ts";
import { advisePrice } from "./advice.ts";
import { estimateElasticity } from "./elasticity.ts";
import { type AdviceRecord, insertAdvice } from "./store.ts";

/**
 * Computes and records (audit) a price suggestion for one SKU from its
 * forecast, stock and the elasticity of its own sales history. 404 for an
 * unknown SKU; a SKU without enough history gets a record with no suggested
 * price and the reason.
 */
export async function adviseSku(
  sql: Sql,
  settings: ForecastSettings,
  sku: string,
  staffId: number,
): Promise<AdviceRecord> {
  const [details] = await getSkuDetails(sql, [sku]);
  if (!details) throw notFound(`SKU ${sku} was not found.`);
  const [sales, stock] = await Promise.all([
    dailySales(sql, [sku], settings.historyDays),
    getStock(sql, [sku]),
  ]);
  const onHand = stock.get(sku) ?? 0;
  const o = outlook(sku, dailySeries(sales, settings.historyDays), onHand, settings);
  const estimate = estimateElasticity(
    sales.map((s) => ({
      quantity: s.quantity,
      price: s.avgUnitPrice,
      weekday: new Date(`${s.day}T00:00:00Z`).getUTCDay(),
    })),
  );
  const advice = advisePrice({
    currentPrice: details.price,
    stock: onHand,
    dailyDemand: o.daily_demand,
    estimate,
    leadTimeDays: settings.leadTimeDays,
  });
  return insertAdvice(sql, {
    sku,
    currentPrice: details.price,
    suggestedPrice: advice.suggestedPrice,
    currency: details.currency,
    elasticity: estimate.elasticity,
    reasons: advice.reasons,
    requestedBy: staffId,
  });
}
