import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { readFeatures, recordAttempt } from "./attempts.ts";
import { type RiskFeatures, scoreFeatures } from "./rules.ts";
import { simulateTraffic } from "./testing.ts";

setDefaultTimeout(120_000);

const THRESHOLD = 0.6;
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("fraud_eval");
});
afterAll(() => database.drop());

interface Tally {
  cleanPaid: number;
  falsePositives: number;
  fraudPaid: number;
  fraudHeld: number;
  byAttack: Map<string, { instances: Set<number>; caught: Set<number>; attempts: number; held: number }>;
}

/**
 * Replays generated traffic through the real feature query and the scorer, in
 * time order, feeding outcomes back as checkout does. "Held" counts attempts
 * whose payment went through and whose score reached the threshold — the
 * orders that would wait for staff. The instance of an attack is its user id
 * (card_across_accounts: its card).
 */
async function replay(score: (f: RiskFeatures) => number): Promise<Tally> {
  await database.sql`truncate fraud_attempts`;
  const t: Tally = { cleanPaid: 0, falsePositives: 0, fraudPaid: 0, fraudHeld: 0, byAttack: new Map() };
  for (const s of simulateTraffic(300)) {
    const features = await readFeatures(database.sql, s.attempt);
    const value = score(features);
    const held = s.pays && value >= THRESHOLD;
    const outcome = !s.pays ? "declined" : held ? "review" : "paid";
    await recordAttempt(database.sql, s.attempt, outcome, value);
    if (!s.pays) continue;
    if (s.attack === null) {
      t.cleanPaid++;
      if (held) t.falsePositives++;
      continue;
    }
    t.fraudPaid++;
    if (held) t.fraudHeld++;
    const a = t.byAttack.get(s.attack) ?? { instances: new Set(), caught: new Set(), attempts: 0, held: 0 };
    const instance =
      s.attack === "card_across_accounts"
        ? s.attempt.cardToken.length * 1000 + s.attempt.cardToken.charCodeAt(9)
        : s.attempt.userId;
    a.instances.add(instance);
    a.attempts++;
    if (held) {
      a.held++;
      a.caught.add(instance);
    }
    t.byAttack.set(s.attack, a);
  }
  return t;
}

const pct = (n: number, d: number) => `${((100 * n) / Math.max(d, 1)).toFixed(1)}%`;

test("planted attacks are held for review, clean traffic passes (numbers printed for docs/ai.md)", async () => {
  const t = await replay((f) => scoreFeatures(f).score);
  const lines = [...t.byAttack].map(
    ([name, a]) =>
      `  ${name.padEnd(22)} attacks caught ${a.caught.size}/${a.instances.size}, paid attempts held ${a.held}/${a.attempts}`,
  );
  console.log(
    [
      `fraud scorer at threshold ${THRESHOLD}:`,
      `  clean paid checkouts ${t.cleanPaid}, false positives ${t.falsePositives} (${pct(t.falsePositives, t.cleanPaid)})`,
      `  fraudulent paid checkouts ${t.fraudPaid}, held ${t.fraudHeld} (recall ${pct(t.fraudHeld, t.fraudPaid)})`,
      ...lines,
    ].join("\n"),
  );
  expect(t.cleanPaid).toBeGreaterThan(500);
  expect(t.falsePositives / t.cleanPaid).toBeLessThanOrEqual(0.02);
  expect(t.fraudHeld / t.fraudPaid).toBeGreaterThanOrEqual(0.45);
  // Every planted attack instance is stopped at least once (staff then see the pattern).
  for (const [, a] of t.byAttack) expect(a.caught.size).toBe(a.instances.size);
});

test("a constant or random score cannot meet the same bar", async () => {
  const never = await replay(() => 0);
  expect(never.fraudHeld).toBe(0);
  const always = await replay(() => 1);
  expect(always.falsePositives / always.cleanPaid).toBe(1);
  let seed = 1;
  const random = await replay(() => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  });
  // A random score holds fraud and clean traffic at the same rate: high recall costs as many false positives.
  const fpr = random.falsePositives / random.cleanPaid;
  const recall = random.fraudHeld / random.fraudPaid;
  expect(fpr > 0.02 || recall < 0.45).toBe(true);
});
