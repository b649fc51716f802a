import { describe, expect, test } from "bun:test";
import { generateProducts, modelsOf, titleOf } from "./generate.ts";
import { PLANTED } from "./planted.ts";
import { brandsOf, categoryNodes, productTypes } from "./taxonomy.ts";
import { MODEL_NAMES } from "./vocab.ts";

const products = generateProducts({ count: 5000 });

describe("taxonomy", () => {
  test("a few hundred product types in a three-level tree", () => {
    const types = productTypes();
    expect(types.length).toBeGreaterThanOrEqual(250);
    const nodes = categoryNodes();
    expect(nodes.filter((n) => n.parent === null).length).toBeGreaterThanOrEqual(8);
    // Every type's category exists and parents are inserted before children.
    const seen = new Set<string>();
    for (const n of nodes) {
      if (n.parent !== null) expect(seen.has(n.parent)).toBe(true);
      seen.add(n.slug);
    }
    for (const t of types) for (const slug of t.path) expect(seen.has(slug)).toBe(true);
  });

  test("notebook sleeve and laptop bag are separate types; sofa is canonical", () => {
    const names = productTypes().map((t) => t.name);
    expect(names).toContain("Notebook Sleeve");
    expect(names).toContain("Laptop Bag");
    expect(names).toContain("Sofa");
    expect(names.some((n) => /couch/i.test(n))).toBe(false);
  });
});

describe("generated products", () => {
  test("deterministic, and product N is the same whatever the count or offset", () => {
    expect(generateProducts({ count: 5000 })).toEqual(products);
    expect(generateProducts({ count: 10, offset: 4990 })).toEqual(products.slice(4990));
    expect(generateProducts({ count: 50, seed: 7 })).not.toEqual(products.slice(0, 50));
  });

  test("the planted products come first, built from their own parts", () => {
    PLANTED.forEach((p, i) => {
      const spec = products[i]!;
      expect(spec.planted).toBe(true);
      expect(spec.title).toBe(titleOf(p));
      expect(spec.model).toBe(p.model);
      const type = productTypes().find((t) => t.name === p.type)!;
      expect(brandsOf(type)).toContain(p.brand);
      if (p.feature) expect(type.leaf.features).toContain(p.feature);
      if (p.material) expect(type.leaf.materials).toContain(p.material);
      if (p.spec) expect(type.leaf.specs).toContain(p.spec);
      // Planted model names are unique to them, so narrow searches have one answer.
      expect(MODEL_NAMES).not.toContain(p.model.split(" ")[0]);
    });
    expect(products[PLANTED.length]!.planted).toBe(false);
  });

  test("rows satisfy the schema's checks; slugs and SKUs are unique", () => {
    const skus = products.flatMap((p) => p.variants.map((v) => v.sku));
    expect(new Set(products.map((p) => p.slug)).size).toBe(products.length);
    expect(new Set(skus).size).toBe(skus.length);
    for (const p of products) {
      expect(p.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.slug.length).toBeLessThanOrEqual(200);
      expect(p.title.length).toBeLessThanOrEqual(300);
      expect(p.brand.length).toBeLessThanOrEqual(120);
      expect(p.description).not.toMatch(/[{}]/); // every placeholder filled
      expect(p.variants.length).toBeGreaterThan(0);
      for (const v of p.variants) {
        expect(v.sku).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
        expect(v.price).toBeGreaterThan(0);
        expect(v.price % 100).toBe(99);
        expect(v.stock).toBeGreaterThanOrEqual(0);
      }
      for (const r of p.ratings) expect(r >= 1 && r <= 5).toBe(true);
    }
  });

  test("titles read like products: brand first, the type, then spec and colour", () => {
    for (const p of products.slice(0, 300)) {
      expect(p.title.startsWith(p.brand)).toBe(true);
      expect(p.title).toContain(p.type);
      if (p.colour) expect(p.title.endsWith(`, ${p.colour}`)).toBe(true);
      if (p.model && !p.planted) expect(modelsOf(p.brand)).toContain(p.model.split(" ")[0]!);
    }
  });

  test("ratings and prices are distributed as in real shops", () => {
    const ratings = products.flatMap((p) => p.ratings);
    const share = (r: number) => ratings.filter((x) => x === r).length / ratings.length;
    expect(share(5) + share(4)).toBeGreaterThan(0.7);
    expect(share(1)).toBeGreaterThan(0.01);
    const counts = products.map((p) => p.ratings.length).sort((a, b) => a - b);
    expect(counts[Math.floor(counts.length * 0.3)]).toBe(0); // many without reviews
    expect(counts.at(-1)!).toBeGreaterThan(50); // and a long tail
    // Log-normal around each type's median: the same type varies, but within a few times.
    const kettles = products.filter((p) => p.type === "Electric Kettle").map((p) => p.variants[0]!.price);
    expect(Math.max(...kettles) / Math.min(...kettles)).toBeGreaterThan(1.5);
    expect(Math.max(...kettles) / Math.min(...kettles)).toBeLessThan(8);
  });
});
