import type { Sql } from "../../db/client.ts";
import {
  type CoPurchaseMeasure,
  coPurchaseScores,
  customerHistory,
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
  const { bought, viewed } = await customerHistory(sql, userId);
  const owned = new Set(bought);
  const seeds = [...bought, ...viewed.filter((v) => !owned.has(v))];
  if (seeds.length) {
    const [boughtCo, viewedCo, similar, popularity] = await Promise.all([
      coPurchaseScores(sql, bought, minSupport, 200, w.measure),
      coPurchaseScores(sql, viewed, minSupport, 200, w.measure),
      similarScores(sql, seeds, 200),
      popular(100),
    ]);
    const scores: Scores = new Map();
    const add = (s: Scores, w: number) => {
      for (const [id, v] of s) scores.set(id, (scores.get(id) ?? 0) + w * v);
    };
    add(boughtCo, 1);
    add(viewedCo, 0.5);
    add(similar, 0.5);
    const most = Math.max(...popularity.values(), 1e-12);
    for (const [id, v] of popularity) scores.set(id, (scores.get(id) ?? 0) + w.popularity * (v / most));
    const ids = top(scores, owned, k);
    if (ids.length) return { ids, strategy: "for_you" };
  }
  const ids = top(await popular(Math.max(100, k + owned.size)), owned, k);
  return { ids, strategy: ids.length ? "popular" : "none" };
}
