import { describe, expect, test } from "bun:test";
import { generateProducts } from "../../../db/seed/generate.ts";
import type { ProductSpec } from "../../../db/seed/model.ts";
import { PLANTED } from "../../../db/seed/planted.ts";
import { brandsOf, productTypes } from "../../../db/seed/taxonomy.ts";
import { PALETTES } from "../../../db/seed/vocab.ts";
import { isHit, matches, RELEVANCE_QUERIES, relevantSlugs } from "./judge.ts";

describe("the relevance set", () => {
  test("has at least 50 queries across every class, no duplicates", () => {
    expect(RELEVANCE_QUERIES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(RELEVANCE_QUERIES.map((q) => q.q)).size).toBe(RELEVANCE_QUERIES.length);
    const classes = new Set(RELEVANCE_QUERIES.map((q) => q.class));
    expect(classes.size).toBe(7);
    // One typo among correct words, as shoppers type.
    expect(RELEVANCE_QUERIES.map((q) => q.q)).toContain("wireless headphnes");
  });

  test("names only brands, types, colours, models and categories the catalog has", () => {
    const types = productTypes();
    const known = {
      brand: new Set(types.flatMap(brandsOf)),
      type: new Set(types.map((t) => t.name)),
      colour: new Set(Object.values(PALETTES).flat()),
      material: new Set(types.flatMap((t) => t.leaf.materials ?? [])),
      feature: new Set(types.flatMap((t) => t.leaf.features ?? [])),
      spec: new Set(types.flatMap((t) => t.leaf.specs ?? [])),
      model: new Set(PLANTED.map((p) => p.model)),
      category: new Set(types.map((t) => t.path[2])),
    };
    for (const q of RELEVANCE_QUERIES)
      for (const w of q.want)
        for (const [field, accepted] of Object.entries(w))
          for (const v of accepted)
            expect(`${field}=${v}: ${known[field as keyof typeof known].has(v)}`).toBe(`${field}=${v}: true`);
  });

  test("every query has relevant products in a 10k catalog (planted ones included)", () => {
    const products = generateProducts({ count: 10_000 });
    for (const q of RELEVANCE_QUERIES)
      expect(`${q.q}: ${relevantSlugs(q, products).size > 0}`).toBe(`${q.q}: true`);
  });
});

describe("judging", () => {
  const p = { brand: "Auralis", type: "Sofa", colour: "Black" } as ProductSpec;
  test("a predicate matches when every field it names accepts the product's value", () => {
    expect(matches(p, { brand: ["Auralis"], colour: ["Grey", "Black"] })).toBe(true);
    expect(matches(p, { brand: ["Auralis"], material: ["Oak"] })).toBe(false);
    expect(matches(p, {})).toBe(true);
  });

  test("a hit needs min(5, relevant) relevant products in the top 5", () => {
    const few = new Set(["a", "b"]);
    expect(isHit(["x", "a", "y", "b", "z"], few)).toBe(true);
    expect(isHit(["x", "a", "y", "z", "w", "b"], few)).toBe(false); // b is sixth
    const many = new Set(["a", "b", "c", "d", "e", "f"]);
    expect(isHit(["a", "b", "c", "d", "f"], many)).toBe(true);
    expect(isHit(["a", "b", "c", "d", "x"], many)).toBe(false);
    expect(isHit(["a", "b", "c"], many)).toBe(false);
    expect(isHit([], new Set())).toBe(false);
  });
});
