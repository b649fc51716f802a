import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { type Attempt, addressHash, cardHash, RECENT_CAP, readFeatures } from "./attempts.ts";
import { scoreFeatures } from "./rules.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("fraud_attempts");
});
afterAll(async () => {
  await db.drop();
});

const address = { line1: "1 Main St", city: "Springfield", postal_code: "12345", country: "US" };
const attempt = (userId: number, card: string): Attempt => ({
  orderId: crypto.randomUUID(),
  userId,
  clientIp: "203.0.113.5",
  cardToken: card,
  shippingAddress: address,
  amount: 2_000,
  currency: "USD",
  accountCreatedAt: new Date(Date.now() - 30 * 86_400_000),
});

/** `n` earlier attempts of this account and card, the newest `seconds` ago and one second apart. */
async function history(userId: number, card: string, outcome: string, n: number, newest = 10) {
  await db.sql`
    insert into fraud_attempts (order_id, user_id, client_ip, card_hash, address_hash, amount, currency, score, outcome, created_at)
    select gen_random_uuid(), ${userId}, '203.0.113.5', ${cardHash(card)}, ${addressHash(address)}, 2000, 'USD', 0.1,
           ${outcome}, now() - make_interval(secs => ${newest} + g)
    from generate_series(0, ${n - 1}) g`;
}

test("a quiet account's counts are exact", async () => {
  await history(1, "tok_quiet", "paid", 3);
  const f = await readFeatures(db.sql, attempt(1, "tok_quiet"));
  expect(f).toMatchObject({
    accountAttempts1h: 3,
    paidCount: 3,
    paidMeanAmount: 2000,
    accountAttemptsFromIp: 3,
  });
});

test("a busy account's counts stop at the cap and fire the same rules as uncapped counts would", async () => {
  // 120 paid attempts in the last hour, then two declines, the newest.
  await history(2, "tok_busy", "paid", 120, 100);
  await history(2, "tok_busy", "declined", 2, 5);
  const f = await readFeatures(db.sql, attempt(2, "tok_busy"));
  expect(f.accountAttempts1h).toBe(RECENT_CAP);
  expect(f.accountDeclines1h).toBe(2);
  expect(f.paidCount).toBe(RECENT_CAP - 2);
  expect(f.cardDeclines1h).toBe(2);
  // Uncapped, the account would show 122 attempts: velocity and declines fire either way.
  const uncapped = { ...f, accountAttempts1h: 122, paidCount: 120, accountAttemptsFromIp: 120 };
  expect(scoreFeatures(f)).toEqual(scoreFeatures(uncapped));
  expect(scoreFeatures(f).reasons).toEqual(expect.arrayContaining(["account_velocity", "account_declines"]));
});
