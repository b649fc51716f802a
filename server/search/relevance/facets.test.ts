import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type postgres from "postgres";
import { seedCatalog } from "../../../db/seed.ts";
import { closeCatalogCache } from "../../catalog/test-support.ts";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { MAX_BRAND_FACETS, PRICE_EDGES, RATING_MINS } from "../facet-buckets.ts";

setDefaultTimeout(120_000);

/**
 * Facet counts and totals of `GET /api/search` on a seeded demo catalog,
 * checked against counts computed here with plain SQL over the seeded rows
 * (written from the API contract, not from any engine's statements). Text
 * queries are brand names: by the generator's rules a brand's name appears
 * in its own products only, so the matching set is `brand = ...`.
 */
const CATALOG = 4000;

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await seedCatalog(t.sql, { products: CATALOG });
  const admin = await userWithToken(t, "admin");
  expect(
    (await t.request("/api/admin/search/reindex", { method: "POST", headers: admin.headers })).status,
  ).toBe(200);
});

afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

interface Filters {
  brand?: string;
  category?: string;
  min_price?: number;
  max_price?: number;
  in_stock?: boolean;
  min_rating?: number;
}
interface Facets {
  categories: { slug: string; count: number }[];
  brands: { value: string; count: number }[];
  price: { from: number; to: number | null; count: number }[];
  rating: { min: number; count: number }[];
}

/** Active products matching the filters (and a brand-name query), as rows of the SQL below. */
function where(sql: postgres.Sql, f: Filters & { qBrand?: string }) {
  return sql`p.status = 'active'
    ${f.qBrand !== undefined ? sql`and p.brand = ${f.qBrand}` : sql``}
    ${f.brand !== undefined ? sql`and p.brand = ${f.brand}` : sql``}
    ${
      f.category !== undefined
        ? sql`and p.category_id in (
            with recursive sub(id) as (select id from categories where slug = ${f.category}
              union all select c.id from categories c join sub on c.parent_id = sub.id)
            select id from sub)`
        : sql``
    }
    ${f.min_price !== undefined ? sql`and p.min_price >= ${f.min_price}` : sql``}
    ${f.max_price !== undefined ? sql`and p.min_price <= ${f.max_price}` : sql``}
    ${f.in_stock !== undefined ? sql`and p.in_stock = ${f.in_stock}` : sql``}
    ${f.min_rating !== undefined ? sql`and p.rating_count > 0 and p.rating_sum::float8 / p.rating_count >= ${f.min_rating}` : sql``}`;
}

async function expectedFacets(f: Filters & { qBrand?: string }): Promise<{ total: number; facets: Facets }> {
  const sql = t.sql;
  const rows = await sql<
    { category: string; brand: string; min_price: string; rating_sum: string; rating_count: number }[]
  >`
    select c.slug as category, p.brand, p.min_price, p.rating_sum, p.rating_count
    from products p join categories c on c.id = p.category_id where ${where(sql, f)}`;
  const parents = new Map(
    (
      await sql<{ slug: string; parent: string | null }[]>`
      select c.slug, p.slug as parent from categories c left join categories p on p.id = c.parent_id`
    ).map((r) => [r.slug, r.parent]),
  );
  const categories = new Map<string, number>();
  const brands = new Map<string, number>();
  const price: number[] = PRICE_EDGES.map(() => 0);
  const rating: number[] = RATING_MINS.map(() => 0);
  for (const r of rows) {
    for (let c: string | null | undefined = r.category; c; c = parents.get(c))
      categories.set(c, (categories.get(c) ?? 0) + 1);
    brands.set(r.brand, (brands.get(r.brand) ?? 0) + 1);
    const cents = Number(r.min_price);
    const bucket = PRICE_EDGES.findLastIndex((edge) => cents >= edge);
    price[bucket] = price[bucket]! + 1;
    const avg = r.rating_count > 0 ? Number(r.rating_sum) / r.rating_count : 0;
    RATING_MINS.forEach((min, i) => {
      if (avg >= min) rating[i] = rating[i]! + 1;
    });
  }
  return {
    total: rows.length,
    facets: {
      categories: [...categories].map(([slug, count]) => ({ slug, count })),
      brands: [...brands].map(([value, count]) => ({ value, count })),
      price: PRICE_EDGES.map((from, i) => ({
        from,
        to: PRICE_EDGES[i + 1] ?? null,
        count: price[i]!,
      })).filter((b) => b.count > 0),
      rating: RATING_MINS.map((min, i) => ({ min, count: rating[i]! })).filter((r) => r.count > 0),
    },
  };
}

const bySlug = (a: { slug: string }, b: { slug: string }) => a.slug.localeCompare(b.slug);

const cases: { query: string; q?: string; filters: Filters }[] = [
  { query: "", filters: {} },
  { query: "category=electronics&sort=price_asc", filters: { category: "electronics" } },
  { query: "category=sofas&in_stock=true", filters: { category: "sofas", in_stock: true } },
  {
    query: "min_price=2000&max_price=20000&min_rating=4",
    filters: { min_price: 2000, max_price: 20000, min_rating: 4 },
  },
  { query: "q=auralis", q: "Auralis", filters: {} },
  { query: "q=brava&in_stock=true&category=home", q: "Brava", filters: { in_stock: true, category: "home" } },
  { query: "q=hearthwood&min_rating=3", q: "Hearthwood", filters: { min_rating: 3 } },
  { query: "brand=Pacer&category=fashion", filters: { brand: "Pacer", category: "fashion" } },
];

for (const c of cases) {
  test(`facets of "${c.query || "(everything)"}" equal SQL counts over the seeded rows`, async () => {
    const res = await t.request(`/api/search?${c.query}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; facets: Facets };
    const want = await expectedFacets({ ...c.filters, ...(c.q ? { qBrand: c.q } : {}) });
    expect(want.total).toBeGreaterThan(0);
    expect(body.total).toBe(want.total);
    expect([...body.facets.categories].sort(bySlug)).toEqual(want.facets.categories.sort(bySlug));
    expect(body.facets.price).toEqual(want.facets.price);
    expect(body.facets.rating).toEqual(want.facets.rating);
    // Brands: the most frequent MAX_BRAND_FACETS, each with its exact count.
    const brandCount = new Map(want.facets.brands.map((b) => [b.value, b.count]));
    expect(body.facets.brands.length).toBe(Math.min(MAX_BRAND_FACETS, brandCount.size));
    for (const b of body.facets.brands) expect(b.count).toBe(brandCount.get(b.value)!);
    const shown = new Set(body.facets.brands.map((b) => b.value));
    const lowestShown = Math.min(...body.facets.brands.map((b) => b.count));
    for (const [value, count] of brandCount)
      if (!shown.has(value)) expect(count).toBeLessThanOrEqual(lowestShown);
  });
}
