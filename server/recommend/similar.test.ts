import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { contentNeighbours, productContents } from "../catalog/content.ts";
import { prng } from "../fraud/testing.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { rebuildSimilar } from "./ingest.ts";
import { similarProducts } from "./serve.ts";

setDefaultTimeout(180_000);

/**
 * Similar products on a planted catalog: 12 product types, two per category
 * (a sofa and an armchair share "living room"), brands shared across types,
 * colours and sizes shared by all. A good content model puts a product's own
 * type first; the naive baseline (newest products of the same category) gets
 * about half right.
 */
const TYPES: [category: string, noun: string, words: string[]][] = [
  ["living-room", "sofa", ["seater", "cushions", "upholstered", "lounge", "sectional", "recline"]],
  ["living-room", "armchair", ["wingback", "single", "reading", "accent", "tufted", "armrest"]],
  ["lighting", "desk lamp", ["adjustable", "arm", "task", "reading", "usb", "dimmable"]],
  ["lighting", "floor lamp", ["standing", "tall", "arc", "tripod", "shade", "corner"]],
  ["shoes", "running shoe", ["cushioned", "road", "marathon", "breathable", "mesh", "drop"]],
  ["shoes", "hiking boot", ["waterproof", "ankle", "trail", "grip", "leather", "mountain"]],
  ["bags", "laptop sleeve", ["padded", "notebook", "inch", "zip", "neoprene", "slim"]],
  ["bags", "backpack", ["litre", "straps", "hydration", "daypack", "compartments", "travel"]],
  ["kitchen", "coffee grinder", ["burr", "grind", "beans", "settings", "conical", "hopper"]],
  ["kitchen", "espresso machine", ["pump", "bar", "milk", "frother", "portafilter", "shot"]],
  ["fitness", "yoga mat", ["non", "slip", "thick", "rubber", "pilates", "stretch"]],
  ["fitness", "dumbbell", ["weights", "adjustable", "kg", "plates", "hex", "strength"]],
];
const BRANDS = ["Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark"];
const COMMON = [
  "colour",
  "black",
  "grey",
  "blue",
  "large",
  "small",
  "durable",
  "quality",
  "design",
  "everyday",
];

let t: TestApp;
const typeOf = new Map<number, number>();
const categoryOf = new Map<number, number>();

beforeAll(async () => {
  t = await createTestApp();
  const rnd = prng(5);
  const pick = <T>(xs: T[], n: number) => Array.from({ length: n }, () => xs[Math.floor(rnd() * xs.length)]!);
  const cats = new Map<string, number>();
  for (const [slug] of TYPES) {
    if (cats.has(slug)) continue;
    const [row] = await t.sql<{ id: string }[]>`
      insert into categories (slug, name) values (${slug}, ${slug.replace("-", " ")}) returning id`;
    cats.set(slug, Number(row!.id));
  }
  for (let i = 0; i < 240; i++) {
    const type = i % TYPES.length;
    const [category, noun, words] = TYPES[type]!;
    const brand = pick(BRANDS, 1)[0]!;
    const title = `${brand} ${pick(words, 1)[0]} ${noun}`;
    const description = [...pick(words, 3), ...pick(COMMON, 4)].join(" ");
    const [row] = await t.sql<{ id: string }[]>`
      insert into products (slug, title, description, brand, category_id, status)
      values (${`p-${i}`}, ${title}, ${description}, ${brand}, ${cats.get(category)!}, 'active') returning id`;
    const id = Number(row!.id);
    typeOf.set(id, type);
    categoryOf.set(id, cats.get(category)!);
    for (const [n, colour] of pick(COMMON.slice(1, 4), 2).entries())
      await t.sql`insert into variants (product_id, sku, title, price) values (${id}, ${`S-${i}-${n}`}, ${colour}, 1000)`;
  }
  expect(await rebuildSimilar(t.deps)).toBe(240);
});
afterAll(() => t.close());

test("similar products: precision at 5 of the planted type beats same-category-newest", async () => {
  let right = 0;
  let shown = 0;
  let baseRight = 0;
  let baseShown = 0;
  for (const [id, type] of typeOf) {
    const { ids } = await similarProducts(t.sql, id, 5);
    shown += ids.length;
    right += ids.filter((s) => typeOf.get(s) === type).length;
    const [self] = await productContents(t.sql, [id]);
    const naive = (await contentNeighbours(t.sql, self!, 50))
      .filter((c) => c.categoryId === categoryOf.get(id))
      .slice(0, 5);
    baseShown += naive.length;
    baseRight += naive.filter((c) => typeOf.get(c.id) === type).length;
  }
  const precision = right / shown;
  const baseline = baseRight / baseShown;
  console.log(
    `similar products, precision@5 of the planted type over ${typeOf.size} products: ${(100 * precision).toFixed(1)}% (same category, newest first: ${(100 * baseline).toFixed(1)}%)`,
  );
  expect(shown).toBe(typeOf.size * 5);
  expect(precision).toBeGreaterThan(baseline + 0.3);
});
