import { expect, test } from "bun:test";
import { HIGH_AMOUNT, type RiskFeatures, scoreFeatures } from "./rules.ts";

const quiet: RiskFeatures = {
  amount: 3000,
  accountAgeHours: 5000,
  accountAttempts1h: 0,
  accountDeclines1h: 0,
  ipAttempts1h: 0,
  ipDeclines1h: 0,
  cardOtherAccounts1h: 0,
  cardDeclines1h: 0,
  accountHeld24h: 0,
  accountAttemptsFromIp: 3,
  ipKnown: true,
  addresses24h: 1,
  paidCount: 4,
  paidMeanAmount: 3000,
};

test("no signal, no score", () => {
  expect(scoreFeatures(quiet)).toEqual({ score: 0, reasons: [] });
});

test("one weak signal stays below 0.6; two combine as a noisy-OR", () => {
  const one = scoreFeatures({ ...quiet, amount: HIGH_AMOUNT, accountAgeHours: 2, paidCount: 0 });
  expect(one).toEqual({ score: 0.5, reasons: ["new_account_high_amount"] });
  const two = scoreFeatures({
    ...quiet,
    amount: HIGH_AMOUNT,
    accountAgeHours: 2,
    paidCount: 0,
    addresses24h: 3,
  });
  expect(two.reasons).toEqual(["new_account_high_amount", "many_shipping_addresses"]);
  expect(two.score).toBeCloseTo(1 - 0.5 * 0.55, 4);
});

test("amount far above history needs a history; unfamiliar IP needs a known IP", () => {
  expect(scoreFeatures({ ...quiet, amount: 16_000 }).reasons).toEqual(["amount_far_above_history"]);
  expect(scoreFeatures({ ...quiet, amount: 16_000, paidCount: 1 }).reasons).toEqual([]);
  expect(scoreFeatures({ ...quiet, accountAttemptsFromIp: 0 }).reasons).toEqual([
    "unfamiliar_ip_for_established_account",
  ]);
  expect(scoreFeatures({ ...quiet, accountAttemptsFromIp: 0, ipKnown: false }).reasons).toEqual([]);
});
