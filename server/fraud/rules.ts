/**
 * The fraud score: a set of rules over velocity and history features, each
 * with a weight that reads as "how likely this signal alone is fraud". The
 * score combines the rules that fired as a noisy-OR, 1 − Π(1 − wᵢ), so one
 * weak signal stays below the review threshold while two together (or one
 * strong one) cross it. Pure: the features come from `attempts.ts`.
 */

/** What the scorer knows about one checkout attempt and the ones before it. */
export interface RiskFeatures {
  /** This attempt's amount, minor units. */
  amount: number;
  /** Hours since the account was created. */
  accountAgeHours: number;
  /** Earlier attempts (any outcome) and declines of this account in the last hour. */
  accountAttempts1h: number;
  accountDeclines1h: number;
  /** The same for the client address (0 when the address is unknown). */
  ipAttempts1h: number;
  ipDeclines1h: number;
  /** Other accounts that used this card token in the last hour, and its declines. */
  cardOtherAccounts1h: number;
  cardDeclines1h: number;
  /** Earlier attempts of this account held for review or rejected in the last 24 hours. */
  accountHeld24h: number;
  /** Earlier paid attempts of this account from this client address (90 days; 0 when the address is unknown). */
  accountAttemptsFromIp: number;
  /** Whether the client address is known at all. */
  ipKnown: boolean;
  /** Distinct shipping addresses of this account in the last 24 hours, this one included. */
  addresses24h: number;
  /** The account's earlier paid attempts (90 days) and their mean amount. */
  paidCount: number;
  paidMeanAmount: number;
}

/** One rule: a name (the reason shown to staff), its weight and when it fires. */
interface Rule {
  reason: string;
  weight: number;
  fires(f: RiskFeatures): boolean;
}

/** A checkout amount (minor units) above which a brand-new account is suspicious. */
export const HIGH_AMOUNT = 50_000;

const rules: readonly Rule[] = [
  { reason: "account_velocity", weight: 0.45, fires: (f) => f.accountAttempts1h >= 5 },
  { reason: "account_declines", weight: 0.5, fires: (f) => f.accountDeclines1h >= 2 },
  { reason: "ip_velocity", weight: 0.35, fires: (f) => f.ipAttempts1h >= 20 },
  { reason: "ip_declines", weight: 0.5, fires: (f) => f.ipDeclines1h >= 3 },
  // Not decisive alone: shared test or family cards exist; with declines or velocity it is.
  { reason: "card_shared_across_accounts", weight: 0.5, fires: (f) => f.cardOtherAccounts1h >= 3 },
  { reason: "card_declines", weight: 0.5, fires: (f) => f.cardDeclines1h >= 3 },
  {
    reason: "new_account_high_amount",
    weight: 0.5,
    fires: (f) => f.accountAgeHours < 24 && f.amount >= HIGH_AMOUNT,
  },
  {
    reason: "amount_far_above_history",
    weight: 0.45,
    fires: (f) => f.paidCount >= 2 && f.amount > 5 * Math.max(f.paidMeanAmount, 1),
  },
  { reason: "many_shipping_addresses", weight: 0.45, fires: (f) => f.addresses24h >= 3 },
  // Until staff have looked at an account's held order, its next orders wait too.
  { reason: "account_under_review", weight: 0.6, fires: (f) => f.accountHeld24h >= 1 },
  {
    // Weak alone (people shop from phones and new networks); it tips a large, unusual order over.
    reason: "unfamiliar_ip_for_established_account",
    weight: 0.3,
    fires: (f) => f.ipKnown && f.paidCount >= 2 && f.accountAttemptsFromIp === 0,
  },
];

/** A score in 0..1 and the reasons (rule names) that produced it. */
export interface RiskScore {
  score: number;
  reasons: string[];
}

/** Scores one attempt from its features. */
export function scoreFeatures(f: RiskFeatures): RiskScore {
  let clean = 1;
  const reasons: string[] = [];
  for (const rule of rules) {
    if (!rule.fires(f)) continue;
    clean *= 1 - rule.weight;
    reasons.push(rule.reason);
  }
  // Rounded so the stored score and the one compared with the threshold are the same number.
  return { score: Math.round((1 - clean) * 10_000) / 10_000, reasons };
}
