import { z } from "zod";
import type { ProductSpec } from "../../../db/seed/model.ts";
import set from "./set.json" with { type: "json" };

/**
 * The labelled relevance set (set.json) and how a search answer is judged
 * against it. Relevant products come from the demo catalog's generation
 * rules (brand, type, attributes of each ProductSpec), never from running an
 * engine, so the set can measure any engine.
 */

const values = z.array(z.string().min(1)).min(1).optional();
/** Every field present must match; a field lists the accepted values. */
const predicateSchema = z
  .object({
    brand: values,
    type: values,
    colour: values,
    material: values,
    feature: values,
    spec: values,
    model: values,
    /** Leaf category slug. */
    category: values,
  })
  .strict();
export type Predicate = z.infer<typeof predicateSchema>;

/** What a query tests; the hit rate is also reported per class. */
export const QUERY_CLASSES = [
  "brand",
  "type",
  "attribute",
  "multi-word",
  "planted",
  "prefix",
  "typo",
] as const;

const querySchema = z
  .object({
    q: z.string().min(1),
    class: z.enum(QUERY_CLASSES),
    /** Relevant: matches any of these. */
    want: z.array(predicateSchema).min(1),
    note: z.string().optional(),
  })
  .strict();
export type RelevanceQuery = z.infer<typeof querySchema>;

/** The queries of set.json, validated. */
export const RELEVANCE_QUERIES: RelevanceQuery[] = z
  .object({ $comment: z.string(), queries: z.array(querySchema) })
  .parse(set).queries;

/** How many top results a query is judged on. */
export const TOP_K = 5;

const FIELDS = ["brand", "type", "colour", "material", "feature", "spec", "model", "category"] as const;

/** True when the product matches every field of the predicate. */
export function matches(p: ProductSpec, pred: Predicate): boolean {
  return FIELDS.every((f) => {
    const accepted = pred[f];
    return accepted === undefined || (p[f] !== undefined && accepted.includes(p[f]));
  });
}

/** Slugs of the products relevant to a query. */
export function relevantSlugs(query: RelevanceQuery, products: ProductSpec[]): Set<string> {
  return new Set(products.filter((p) => query.want.some((w) => matches(p, w))).map((p) => p.slug));
}

/**
 * A hit when the first TOP_K results hold min(TOP_K, |relevant|) relevant
 * products: all of them when there are at most five, otherwise five
 * relevant results and nothing else. A query with nothing relevant is never
 * a hit (the set would be wrong for that catalog).
 */
export function isHit(resultSlugs: string[], relevant: Set<string>): boolean {
  if (relevant.size === 0) return false;
  const found = resultSlugs.slice(0, TOP_K).filter((s) => relevant.has(s)).length;
  return found >= Math.min(TOP_K, relevant.size);
}
