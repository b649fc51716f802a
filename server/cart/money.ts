/** Money as the API shows it: integer minor units plus an ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

/** Builds a Money value; `amount` must already be an integer number of minor units. */
export function money(amount: number, currency: string): Money {
  return { amount, currency };
}

/** The four totals of a cart or an order. */
export interface Totals {
  subtotal: Money;
  shipping: Money;
  tax: Money;
  total: Money;
}

/** Shipping and tax rules (see server/cart/settings.ts). */
export interface PricingRules {
  shippingFlatFee: number;
  freeShippingFrom: number;
  taxRateBps: number;
}

/** Raw totals in minor units, before they are labelled with a currency. */
export interface Amounts {
  subtotal: number;
  shipping: number;
  tax: number;
  total: number;
}

/**
 * Tax on the subtotal, rounded half up. BigInt because subtotal × basis
 * points can pass 2^53 for large carts even though the result fits.
 */
export function taxOf(subtotal: number, rateBps: number): number {
  return Number((BigInt(subtotal) * BigInt(rateBps) + 5000n) / 10000n);
}

/**
 * Subtotal, flat shipping (none for an empty cart or above the free-shipping
 * threshold) and tax on the subtotal; all integer minor units.
 */
export function computeAmounts(lineTotals: number[], rules: PricingRules): Amounts {
  const subtotal = lineTotals.reduce((a, b) => a + b, 0);
  const free = lineTotals.length === 0 || (rules.freeShippingFrom > 0 && subtotal >= rules.freeShippingFrom);
  const shipping = free ? 0 : rules.shippingFlatFee;
  const tax = taxOf(subtotal, rules.taxRateBps);
  return { subtotal, shipping, tax, total: subtotal + shipping + tax };
}

/** Labels raw amounts with their currency, as the API shows them. */
export function toTotals(a: Amounts, currency: string): Totals {
  return {
    subtotal: money(a.subtotal, currency),
    shipping: money(a.shipping, currency),
    tax: money(a.tax, currency),
    total: money(a.total, currency),
  };
}
