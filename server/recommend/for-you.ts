import type { Sql } from "../../db/client.ts";
import { forYou, type Ranked } from "./serve.ts";
import type { RecommendSettings } from "./settings.ts";
import {
  customersWithHistory,
  dropForYou,
  loadForYou,
  popularProducts,
  type Scores,
  saveForYou,
} from "./store.ts";

/**
 * For-you lists are ranked ahead of time and stored (`rec_for_you`, migration
 * 0106), so a request reads one row by primary key instead of running the
 * ranking statement (the history, three signals' best 200 each, the sums).
 * When a list is ranked again:
 * - the workers' recommend consumer counts one of the customer's paid orders
 *   (`rankAndStoreForYou` right after it, in the consumer);
 * - the customer views a product (`forgetForYou`: the row goes, the next read
 *   ranks and stores it);
 * - a read finds it older than `REC_FOR_YOU_MAX_AGE_S` (other customers'
 *   orders move the co-purchase weights and the popularity it was ranked on),
 *   or missing (never ranked: a customer without history gets the popular
 *   list, stored the same way).
 */

/** How many products a stored list keeps: the longest list a request may ask for. */
export const FOR_YOU_STORED = 50;

/** Source of the popularity list (the route passes its cached one: it is the same for everyone). */
export type PopularSource = (n: number) => Promise<Scores>;

/** `none` (nothing was ever bought in the shop) is not kept: the first orders should show at once. */
const storable = (r: Ranked): r is Ranked & { strategy: "for_you" | "popular" } =>
  r.strategy === "for_you" || r.strategy === "popular";

const rank = (sql: Sql, userId: number, minSupport: number, popular?: PopularSource) =>
  forYou(sql, userId, minSupport, FOR_YOU_STORED, undefined, popular ?? ((n) => popularProducts(sql, n)));

/** Ranks the customer's list (on `sql`, which must be the primary) and stores it; returns it. */
export async function rankAndStoreForYou(
  sql: Sql,
  userId: number,
  settings: Pick<RecommendSettings, "minSupport">,
  popular?: PopularSource,
): Promise<Ranked> {
  const ranked = await rank(sql, userId, settings.minSupport, popular);
  if (storable(ranked)) await saveForYou(sql, userId, { ids: ranked.ids, strategy: ranked.strategy });
  return ranked;
}

/**
 * The customer's for-you list, best first (at most `FOR_YOU_STORED`): the
 * stored one when it is younger than `maxAgeS`, else ranked now (through
 * `read`, like the stored row) and stored on `primary`. A store that fails
 * (the primary unreachable) is reported to `onStoreError` and the ranked
 * list is answered all the same.
 */
export async function servedForYou(
  read: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>,
  primary: Sql,
  userId: number,
  settings: Pick<RecommendSettings, "minSupport" | "forYouMaxAgeS">,
  popular?: PopularSource,
  onStoreError: (err: unknown) => void = () => {},
): Promise<Ranked> {
  const stored = await read((sql) => loadForYou(sql, userId));
  if (stored && Date.now() - stored.rankedAt.getTime() < settings.forYouMaxAgeS * 1000)
    return { ids: stored.ids, strategy: stored.strategy };
  const ranked = await read((sql) => rank(sql, userId, settings.minSupport, popular));
  if (storable(ranked))
    await saveForYou(primary, userId, { ids: ranked.ids, strategy: ranked.strategy }).catch(onStoreError);
  return ranked;
}

/** The customer's history changed outside the consumer (a view): the next read ranks the list again. */
export async function forgetForYou(primary: Sql, userId: number): Promise<void> {
  await dropForYou(primary, userId);
}

/**
 * Ranks and stores the list of every customer with history (after a bulk
 * import of orders, as `rebuildSimilar` does for similar lists), `parallel`
 * customers at a time; returns how many.
 */
export async function rebuildForYou(
  primary: Sql,
  settings: Pick<RecommendSettings, "minSupport">,
  parallel = 4,
): Promise<number> {
  // One popularity read for the whole rebuild (it is the same list for everyone).
  const cached = new Map<number, Promise<Scores>>();
  const popular: PopularSource = (n) => {
    const p = cached.get(n) ?? popularProducts(primary, n);
    cached.set(n, p);
    return p;
  };
  let after = 0;
  let done = 0;
  for (;;) {
    const users = await customersWithHistory(primary, after, 500);
    if (!users.length) return done;
    let next = 0;
    const worker = async () => {
      while (next < users.length) await rankAndStoreForYou(primary, users[next++]!, settings, popular);
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    done += users.length;
    after = users.at(-1)!;
  }
}
