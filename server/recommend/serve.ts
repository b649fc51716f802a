import type { Sql } from "../../db/client.ts";
import {
  type CoPurchaseMeasure,
  coPurchaseScores,
  customerHistory,
  forYouScores,
  popularProducts,
  type Scores,
  similarScores,
} from "./store.ts";

/** A ranked list of product ids and how it was made. */
export interface Ranked {
  ids: number[];
  strategy: "bought_together" | "similar" | "for_you" | "popular" | "none";
}

/** How for-you mixes its signals (the evaluation test measures the defaults). */
export interface ForYouWeights {
  measure: CoPurchaseMeasure;
  /** Weight of normalised popularity added to every candidate. */
  popularity: number;
}
// Chosen on the evaluation data (docs/ai.md): conditional beats cosine here, and a popularity prior helps.
const defaultWeights: ForYouWeights = { measure: "conditional", popularity: 1 };
const top = (scores: Scores, exclude: Set<number>, k: number): number[] =>
  [...scores]
    .filter(([id]) => !exclude.has(id))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([id]) => id);

/** Products bought together with `productId`. */
export async function boughtTogether(
  sql: Sql,
  productId: number,
  minSupport: number,
  k: number,
): Promise<Ranked> {
  const ids = top(await coPurchaseScores(sql, [productId], minSupport, k + 1), new Set([productId]), k);
  return { ids, strategy: ids.length ? "bought_together" : "none" };
}

/** Products whose content is most like `productId`'s. */
export async function similarProducts(sql: Sql, productId: number, k: number): Promise<Ranked> {
  const ids = top(await similarScores(sql, [productId], k + 1), new Set([productId]), k);
  return { ids, strategy: ids.length ? "similar" : "none" };
}

/**
 * For a customer: item-to-item from what they bought (weight 1) and viewed
 * (weight 0.5) — conditional co-purchase scores (what buyers of those products
 * went on to buy, popularity included) plus half the content similarity —
 * leaving out what they already bought. No history: the popular products.
 * The scores are added up in Postgres (`forYouScores`: one statement, `k`
 * rows back); the popularity prior comes from `popular` (cached by the route).
 */
export async function forYou(
  sql: Sql,
  userId: number,
  minSupport: number,
  k: number,
  w: ForYouWeights = defaultWeights,
  /** The popular products (the route passes a cached list: it is the same for everyone). */
  popular: (n: number) => Promise<Scores> = (n) => popularProducts(sql, n),
): Promise<Ranked> {
  const popularity = await popular(100);
  const most = Math.max(...popularity.values(), 1e-12);
  const prior: Scores = new Map();
  for (const [id, v] of popularity) prior.set(id, w.popularity * (v / most));
  const mine = await forYouScores(sql, userId, minSupport, k, w.measure, prior);
  if (mine.seeded && mine.ids.length) return { ids: mine.ids, strategy: "for_you" };
  if (!mine.seeded && k <= popularity.size) {
    // No history: the prior alone is the popular list (nothing owned to leave out).
    const ids = top(popularity, new Set(), k);
    return { ids, strategy: ids.length ? "popular" : "none" };
  }
  const { bought } = await customerHistory(sql, userId);
  const owned = new Set(bought);
  const ids = top(await popular(Math.max(100, k + owned.size)), owned, k);
  return { ids, strategy: ids.length ? "popular" : "none" };
}
