import { z } from "zod";
import { bool, defineSettings, int, knob } from "../../platform/settings.ts";

/** What happens to an order when the scorer fails or times out: let it through or hold it for review. */
export type FailurePolicy = "allow" | "review";

const fraction = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, "must be a number between 0 and 1")
  .transform(Number)
  .pipe(z.number().min(0).max(1));

/** The fraud scorer's settings group. */
export const fraudSettingsGroup = defineSettings("fraud", {
  FRAUD_SCORING: knob(
    bool,
    "on",
    "score every checkout for fraud (rules and velocity features, server/fraud)",
  ),
  FRAUD_REVIEW_THRESHOLD: knob(
    fraction,
    "0.6",
    "a checkout scoring at least this (0..1) waits in the `review` order state for staff",
  ),
  FRAUD_TIMEOUT_MS: knob(
    int(5, 10_000),
    "250",
    "a fraud score not ready by then counts as a scorer failure (checkout goes on under FRAUD_FAILURE_POLICY)",
  ),
  FRAUD_FAILURE_POLICY: knob(
    z.enum(["allow", "review"]),
    "allow",
    "when the scorer fails or times out: `allow` (order is paid) or `review` (order waits for staff)",
  ),
});

/** What the fraud scorer is configured with. */
export interface FraudSettings {
  enabled: boolean;
  /** Score (0..1) from which an order is held for review. */
  reviewThreshold: number;
  timeoutMs: number;
  failurePolicy: FailurePolicy;
}

/** Reads the fraud settings from `env`; throws ConfigError naming bad variables. */
export function loadFraudSettings(env: Record<string, string | undefined>): FraudSettings {
  const s = fraudSettingsGroup.load(env);
  return {
    enabled: s.FRAUD_SCORING,
    reviewThreshold: s.FRAUD_REVIEW_THRESHOLD,
    timeoutMs: s.FRAUD_TIMEOUT_MS,
    failurePolicy: s.FRAUD_FAILURE_POLICY,
  };
}
