import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { seedCatalog } from "../../../db/seed.ts";
import { productListSource } from "../../catalog/list-source.ts";
import { countProducts, listProductPage } from "../../catalog/queries.ts";
import type { ProductListParams } from "../../catalog/schemas.ts";
import { closeCatalogCache } from "../../catalog/test-support.ts";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { searchEngine } from "../engine.ts";
import type { MemoryEngine } from "./engine.ts";

setDefaultTimeout(120_000);

let t: TestApp;
let categories: string[];
let brands: string[];

beforeAll(async () => {
  t = await createTestApp({ env: { SEARCH_ENGINE: "memory" } });
  await seedCatalog(t.sql, { products: 1500 });
  await (searchEngine(t.deps) as MemoryEngine).reindex();
  categories = (await t.sql<{ slug: string }[]>`select slug from categories`).map((r) => r.slug);
  brands = (await t.sql<{ brand: string }[]>`select distinct brand from products`).map((r) => r.brand);
});

afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

describe("product lists chosen by the in-process index", () => {
  test("random filters, sorts and pages: the same ids and totals as the SQL list", async () => {
    const source = productListSource(t.deps);
    expect(source).toBeDefined();
    let seed = 7;
    const r = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    for (let n = 0; n < 150; n++) {
      const p: ProductListParams = {
        sort: pick(["newest", "price_asc", "price_desc", "rating"] as const),
        page: 1 + Math.floor(r() * 4),
        page_size: 1 + Math.floor(r() * 60),
      };
      if (r() < 0.5) p.category = pick(categories);
      if (r() < 0.3) p.brand = pick(brands);
      if (r() < 0.3) p.min_price = Math.floor(r() * 10_000);
      if (r() < 0.3) p.max_price = (p.min_price ?? 0) + Math.floor(r() * 30_000);
      if (r() < 0.3) p.in_stock = r() < 0.5;
      const fast = source!.listIds(p, null);
      expect(fast).not.toBeNull();
      const rows = await listProductPage(t.sql, p);
      expect({ p, ids: fast!.ids }).toEqual({ p, ids: rows.map((row) => Number(row.id)) });
      expect(fast!.total, JSON.stringify(p)).toBe(await countProducts(t.sql, p));
    }
  });

  test("a list read right after an admin write shows it (the index defers to SQL until it has caught up)", async () => {
    const admin = (await userWithToken(t, "admin")).headers;
    const [row] = await t.sql<
      { id: string; brand: string }[]
    >`select id, brand from products order by id limit 1`;
    const list = async () =>
      ((await (await t.request("/api/catalog/products?brand=Zenith%20Fresh")).json()) as { total: number })
        .total;
    expect(await list()).toBe(0);
    const res = await t.request(`/api/admin/products/${row!.id}`, {
      method: "PATCH",
      headers: admin,
      json: { brand: "Zenith Fresh" },
    });
    expect(res.status).toBe(200);
    expect(await list()).toBe(1);
  });
});
