import { mulberry32 } from "../../platform/prng.ts";
import type { Attempt } from "./attempts.ts";

/**
 * Generated checkout traffic for evaluating the scorer: ordinary customers
 * (habits with noise: repeat buyers, NAT-shared addresses, a second card, a
 * move, typos that decline once, a rare big purchase) and five planted attack
 * patterns. Deterministic for a seed.
 */

/** One simulated attempt: what the scorer sees, whether the payment goes through, and the ground truth. */
export interface SimAttempt {
  attempt: Attempt & { at: Date };
  /** The payment outcome the processor would give. */
  pays: boolean;
  /** Ground truth: the attack pattern, or null for an ordinary customer. */
  attack: string | null;
}

/** A small seeded PRNG (mulberry32): the same traffic on every run. */
export const prng = mulberry32;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Generates about `customers` × 3.5 clean attempts and the planted attacks, in time order. */
export function simulateTraffic(
  customers: number,
  seed = 7,
  start = new Date("2026-06-01T00:00:00Z"),
): SimAttempt[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const out: SimAttempt[] = [];
  let userId = 1;
  let seq = 0;
  const order = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, "0")}`;
  const addr = (n: number) => ({
    line1: `${n} Elm Street`,
    city: "Springfield",
    postal_code: `${10000 + n}`,
    country: "US",
  });
  const officeIps = Array.from({ length: 5 }, (_, i) => `10.9.0.${i + 1}`);
  const base = start.getTime();

  for (let c = 0; c < customers; c++) {
    const id = userId++;
    const isNew = rnd() < 0.1;
    const createdAt = new Date(base + (isNew ? 25 * DAY + rnd() * 4 * DAY : -rnd() * 700 * DAY));
    const mean = 2000 + rnd() * 18_000;
    const cards = [`card-${id}-a`, ...(rnd() < 0.1 ? [`card-${id}-b`] : [])];
    const addresses = [addr(id * 10), ...(rnd() < 0.1 ? [addr(id * 10 + 1)] : [])];
    const homeIp = rnd() < 0.2 ? pick(officeIps) : `172.16.${id >> 8}.${id & 255}`;
    const orders = isNew ? 1 + Math.floor(rnd() * 2) : 1 + Math.floor(rnd() * 6);
    let t = Math.max(createdAt.getTime() + HOUR, base) + rnd() * 5 * DAY;
    for (let k = 0; k < orders; k++) {
      // Lognormal-ish noise around the customer's habit; one in 30 orders is a big one-off.
      const amount = Math.round(mean * Math.exp((rnd() - 0.5) * 1.2) * (rnd() < 1 / 30 ? 3 : 1));
      const ip = rnd() < 0.15 ? `100.64.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}` : homeIp;
      const common = {
        userId: id,
        clientIp: ip,
        shippingAddress: pick(addresses),
        amount,
        currency: "USD",
        accountCreatedAt: createdAt,
      };
      if (rnd() < 0.05) {
        // A mistyped card: declined once, paid a few minutes later.
        out.push({
          attempt: { ...common, orderId: order(), cardToken: "typo", at: new Date(t) },
          pays: false,
          attack: null,
        });
        t += 3 * 60_000;
      }
      out.push({
        attempt: { ...common, orderId: order(), cardToken: pick(cards), at: new Date(t) },
        pays: true,
        attack: null,
      });
      t += (1 + rnd() * 8) * DAY;
    }
  }
  const attackAt = base + 20 * DAY;
  for (let a = 0; a < 4; a++)
    out.push(...plantedAttacks(() => userId++, order, attackAt + a * 2 * DAY, rnd, a));
  return out.sort((x, y) => x.attempt.at.getTime() - y.attempt.at.getTime());
}

/** The five attack patterns, each once, starting at `at`. */
function plantedAttacks(
  nextUser: () => number,
  order: () => string,
  at: number,
  rnd: () => number,
  round: number,
): SimAttempt[] {
  const out: SimAttempt[] = [];
  const push = (attack: string, a: Omit<Attempt, "orderId" | "currency">, when: number, pays: boolean) =>
    out.push({ attempt: { ...a, orderId: order(), currency: "USD", at: new Date(when) }, pays, attack });
  const drop = (n: number) => ({
    line1: `${n} Dock Road`,
    city: "Port",
    postal_code: `9${n}`,
    country: "US",
  });
  const old = new Date(at - 400 * DAY);

  // 1. Card testing: one account and address, many stolen cards from one IP; most decline, then one works.
  const tester = nextUser();
  const ip1 = `203.0.113.${round + 1}`;
  for (let i = 0; i < 6; i++)
    push(
      "card_testing",
      {
        userId: tester,
        clientIp: ip1,
        cardToken: `stolen-${round}-${i}`,
        shippingAddress: drop(1),
        amount: 1500,
        accountCreatedAt: new Date(at - 2 * HOUR),
      },
      at + i * 60_000,
      i >= 4,
    );

  // 2. One stolen card spread over fresh accounts (different IPs), each buying big.
  for (let i = 0; i < 5; i++)
    push(
      "card_across_accounts",
      {
        userId: nextUser(),
        clientIp: `198.51.100.${round * 10 + i}`,
        cardToken: `hot-card-${round}`,
        shippingAddress: drop(2 + i),
        amount: 60_000 + Math.round(rnd() * 20_000),
        accountCreatedAt: new Date(at - HOUR),
      },
      at + i * 5 * 60_000,
      true,
    );

  // 3. Account takeover: an established account with a modest history, then large orders to new addresses from a new IP.
  const victim = nextUser();
  for (let i = 0; i < 3; i++)
    push(
      "history",
      {
        userId: victim,
        clientIp: "192.0.2.10",
        cardToken: `victim-card-${round}`,
        shippingAddress: drop(50),
        amount: 2500 + i * 200,
        accountCreatedAt: old,
      },
      at - (30 - i * 7) * DAY,
      true,
    );
  for (let i = 0; i < 3; i++)
    push(
      "account_takeover",
      {
        userId: victim,
        clientIp: `45.33.0.${round}`,
        cardToken: `victim-card-${round}`,
        shippingAddress: drop(60 + i),
        amount: 40_000 + i * 5000,
        accountCreatedAt: old,
      },
      at + i * 20 * 60_000,
      true,
    );

  // 4. A bot hammering checkout from one IP with one account and rotating addresses.
  const bot = nextUser();
  for (let i = 0; i < 8; i++)
    push(
      "bot_velocity",
      {
        userId: bot,
        clientIp: `203.0.113.${100 + round}`,
        cardToken: `bot-card-${round}`,
        shippingAddress: drop(70 + (i % 4)),
        amount: 3000,
        accountCreatedAt: new Date(at - 30 * DAY),
      },
      at + i * 4 * 60_000,
      true,
    );

  // 5. A new account placing big orders to several drop addresses.
  const fresh = nextUser();
  for (let i = 0; i < 3; i++)
    push(
      "new_account_drops",
      {
        userId: fresh,
        clientIp: `198.18.0.${round}`,
        cardToken: `fresh-card-${round}`,
        shippingAddress: drop(80 + i),
        amount: 55_000,
        accountCreatedAt: new Date(at - 3 * HOUR),
      },
      at + i * 30 * 60_000,
      true,
    );
  // The history rows are an ordinary customer's own orders.
  return out.map((s) => (s.attack === "history" ? { ...s, attack: null } : s));
}
