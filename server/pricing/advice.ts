import type { ElasticityEstimate } from "./elasticity.ts";

/** What the advice is computed from. */
export interface AdviceInput {
  currentPrice: number;
  stock: number;
  /** Forecast units per day (0 without a forecast). */
  dailyDemand: number;
  estimate: ElasticityEstimate;
  leadTimeDays: number;
}

/** A suggested price (minor units) with its reasons; null when there is nothing to suggest. */
export interface Advice {
  suggestedPrice: number | null;
  reasons: string[];
}

/** Bounds of one suggestion: at most 20 % down or 15 % up from the current price. */
export const MAX_CUT = 0.2;
export const MAX_RAISE = 0.15;
/** Stock lasting longer than this many days is overstock; the advice aims at TARGET_COVER. */
export const OVERSTOCK_DAYS = 60;
export const TARGET_COVER = 45;

/**
 * The price that moves demand to what the stock supports, from the constant
 * elasticity model q ∝ p^e: demand must change by the factor f, so the price
 * by f^(1/e). Overstock (cover above 60 days) → a cut aiming at 45 days of
 * cover; stock running out before a reorder can arrive (cover below the lead
 * time) → a raise that stretches it to the lead time. Bounded, rounded to
 * whole minor units, pure. Staff decide; nothing here changes a price.
 */
export function advisePrice(input: AdviceInput): Advice {
  const { currentPrice, stock, dailyDemand, estimate, leadTimeDays } = input;
  if (dailyDemand <= 0) return { suggestedPrice: null, reasons: ["no demand forecast (no recent sales)"] };
  if (estimate.elasticity === null)
    return { suggestedPrice: null, reasons: [`no elasticity estimate: ${estimate.reason}`] };
  const e = estimate.elasticity;
  const cover = stock / dailyDemand;
  const reasons = [
    `forecast ${dailyDemand.toFixed(1)} units/day, stock ${stock} (${cover.toFixed(0)} days of cover)`,
    `elasticity ${e.toFixed(2)} (R² ${estimate.r2.toFixed(2)} over ${estimate.days} days)`,
  ];
  if (e >= -0.05)
    return {
      suggestedPrice: null,
      reasons: [...reasons, "demand does not fall with price here: no price change is advised"],
    };
  let factor = 1;
  if (cover > OVERSTOCK_DAYS) {
    factor = Math.max(1 - MAX_CUT, (stock / TARGET_COVER / dailyDemand) ** (1 / e));
    reasons.push(`overstock: a lower price should bring cover towards ${TARGET_COVER} days`);
  } else if (cover < leadTimeDays) {
    factor = Math.min(1 + MAX_RAISE, (stock / leadTimeDays / dailyDemand) ** (1 / e));
    reasons.push(
      `stock runs out before a reorder arrives (${leadTimeDays} days): a higher price stretches it`,
    );
  } else {
    return { suggestedPrice: null, reasons: [...reasons, "stock matches demand: keep the price"] };
  }
  if (factor === 1 - MAX_CUT || factor === 1 + MAX_RAISE)
    reasons.push("change capped at the advice's bounds (−20 %/+15 %)");
  return { suggestedPrice: Math.max(0, Math.round(currentPrice * factor)), reasons };
}
