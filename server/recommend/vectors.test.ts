import { expect, test } from "bun:test";
import type { ProductContent } from "../catalog/content.ts";
import { cosine, mostSimilar, tokens } from "./vectors.ts";

const p = (id: number, title: string, brand = "", categoryId = 1): ProductContent => ({
  id,
  slug: `p${id}`,
  title,
  brand,
  category: "c",
  categoryId,
  description: "",
  variantTitles: [],
  active: true,
});

test("tokens drop stop words and one-letter tokens", () => {
  expect(tokens("The Big-Tent for a Family of 4")).toEqual(["big", "tent", "family"]);
});

test("most similar ranks shared title words above a shared brand only", () => {
  const ranked = mostSimilar(
    p(1, "canvas tent", "acme"),
    [p(2, "kettle", "acme"), p(3, "canvas tent large", "other")],
    2,
  );
  expect(ranked.map((r) => r.id)).toEqual([3, 2]);
  expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
});

test("cosine of a normalised vector with itself is 1", () => {
  const v = new Map([
    ["a", 0.6],
    ["b", 0.8],
  ]);
  expect(cosine(v, v)).toBeCloseTo(1, 10);
});
