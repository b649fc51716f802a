import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { generateProducts } from "./seed/generate.ts";
import { categoryNodes } from "./seed/taxonomy.ts";
import { seedCatalog } from "./seed.ts";
import { createTestDatabase, type TestDatabase } from "./testing.ts";

setDefaultTimeout(120_000);

let d: TestDatabase;
const indexes = async () =>
  (
    await d.sql<{ def: string }[]>`
      select indexdef as def from pg_indexes
      where tablename in ('products', 'variants', 'inventory', 'reviews') order by indexname`
  ).map((r) => r.def);
let before: string[];

beforeAll(async () => {
  d = await createTestDatabase("seed");
  before = await indexes();
});
afterAll(() => d.drop());

describe("seedCatalog", () => {
  test("writes the generated products with consistent price, stock and rating summaries", async () => {
    const r = await seedCatalog(d.sql, { products: 400, reviewers: 40 });
    const specs = generateProducts({ count: 400, maxReviews: 40 });
    expect(r).toMatchObject({
      categories: categoryNodes().length,
      products: 400,
      variants: specs.reduce((a, p) => a + p.variants.length, 0),
      reviews: specs.reduce((a, p) => a + p.ratings.length, 0),
    });
    const rows = await d.sql<{ slug: string; title: string; category: string }[]>`
      select p.slug, p.title, c.slug as category from products p join categories c on c.id = p.category_id order by p.id`;
    expect([...rows]).toEqual(specs.map((p) => ({ slug: p.slug, title: p.title, category: p.category })));
    // The summaries the triggers and the review route keep, recomputed from the rows.
    const [wrong] = await d.sql<{ n: number }[]>`
      select count(*)::int as n from products p
      where (p.min_price, p.max_price, p.in_stock, p.rating_sum, p.rating_count) is distinct from (
        (select min(price) from variants v where v.product_id = p.id),
        (select max(price) from variants v where v.product_id = p.id),
        exists (select 1 from variants v join inventory i on i.sku = v.sku where v.product_id = p.id and i.quantity > 0),
        (select coalesce(sum(rating), 0) from reviews r where r.product_id = p.id),
        (select count(*)::int from reviews r where r.product_id = p.id))`;
    expect(wrong!.n).toBe(0);
    // Three views each, for the product page's gallery.
    const [views] = await d.sql<
      { n: number }[]
    >`select count(*)::int as n from products where jsonb_array_length(images) <> 3`;
    expect(views!.n).toBe(0);
  });

  test("every index is back after the bulk load, and the catalog triggers are on", async () => {
    expect(await indexes()).toEqual(before);
    const [off] = await d.sql<{ n: number }[]>`
      select count(*)::int as n from pg_trigger
      where tgrelid in ('variants'::regclass, 'inventory'::regclass) and not tgisinternal and tgenabled = 'D'`;
    expect(off!.n).toBe(0);
  });

  test("a second run appends the continuation of the sequence", async () => {
    await seedCatalog(d.sql, { products: 50, reviewers: 40 });
    const [max] = await d.sql<{ n: number }[]>`select max(id)::int as n from products`;
    const next = generateProducts({ count: 50, offset: 400, maxReviews: 40 });
    const slugs = await d.sql<{ slug: string }[]>`select slug from products order by id desc limit 50`;
    expect(slugs.map((s) => s.slug).reverse()).toEqual(next.map((p) => p.slug));
    expect(max!.n).toBe(450);
  });
});
