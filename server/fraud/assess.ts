import type { AppDeps } from "../core/deps.ts";
import { getUserById } from "../users/queries.ts";
import { type Attempt, readFeatures } from "./attempts.ts";
import { scoreFeatures } from "./rules.ts";
import type { FraudSettings } from "./settings.ts";

/** The scorer's answer for one checkout. */
export interface RiskVerdict {
  score: number;
  reasons: string[];
  /** True when the order must wait for staff (score at or above the threshold, or policy after a failure). */
  review: boolean;
  /** What was scored: recorded with its outcome when the order settles (`recordAttempt`). */
  attempt: Attempt;
}

/** Test-only seam: runs before the features are read (a throw or a long wait simulates a broken scorer). */
export type ScorerFault = () => Promise<void> | void;

/** Why a scoring attempt produced no score. */
class ScorerTimeout extends Error {
  constructor(ms: number) {
    super(`fraud scoring took longer than ${ms} ms`);
    this.name = "ScorerTimeout";
  }
}

// An account's creation time never changes: remembered per app instance, bounded.
const accountAges = new WeakMap<AppDeps, Map<number, Date>>();
const MAX_REMEMBERED = 100_000;

async function accountCreatedAt(deps: AppDeps, userId: number): Promise<Date> {
  let known = accountAges.get(deps);
  if (!known) {
    known = new Map();
    accountAges.set(deps, known);
  }
  const hit = known.get(userId);
  if (hit) return hit;
  const user = await getUserById(deps.db.primary, userId);
  const at = user ? new Date(user.created_at) : new Date();
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(userId, at);
  return at;
}

async function score(
  deps: AppDeps,
  settings: FraudSettings,
  attempt: Attempt,
  fault?: ScorerFault,
): Promise<Omit<RiskVerdict, "attempt">> {
  await fault?.();
  const s = scoreFeatures(await readFeatures(deps.db.primary, attempt));
  return { ...s, review: s.score >= settings.reviewThreshold };
}

/**
 * Scores one checkout within `settings.timeoutMs`. Never rejects: when the
 * scorer fails or is late the verdict follows the failure policy (`allow`:
 * pass, `review`: hold), with reason `scorer_unavailable`, logged and counted
 * in `fraud_scoring_failures_total` — so a broken scorer never blocks checkout.
 */
export async function assessCheckout(
  deps: AppDeps,
  settings: FraudSettings,
  input: Omit<Attempt, "accountCreatedAt">,
  fault?: ScorerFault,
): Promise<RiskVerdict> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScorerTimeout(settings.timeoutMs)), settings.timeoutMs);
  });
  let attempt: Attempt = { ...input, accountCreatedAt: new Date() };
  try {
    const verdict = await Promise.race([
      (async () => {
        attempt = { ...input, accountCreatedAt: await accountCreatedAt(deps, input.userId) };
        return score(deps, settings, attempt, fault);
      })(),
      late,
    ]);
    deps.metrics
      .counter("fraud_checkouts_scored_total", "checkouts the fraud scorer scored, by verdict")
      .inc({ verdict: verdict.review ? "review" : "pass" });
    return { ...verdict, attempt };
  } catch (err) {
    const reason = err instanceof ScorerTimeout ? "timeout" : "error";
    deps.metrics
      .counter("fraud_scoring_failures_total", "fraud scorings that failed or timed out (policy applied)")
      .inc({ reason, policy: settings.failurePolicy });
    deps.logger.warn("fraud scoring failed; applying the failure policy", {
      order_id: input.orderId,
      reason,
      policy: settings.failurePolicy,
      err,
    });
    return {
      score: 0,
      reasons: ["scorer_unavailable"],
      review: settings.failurePolicy === "review",
      attempt,
    };
  } finally {
    clearTimeout(timer);
  }
}
