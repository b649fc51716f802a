import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { until } from "../../../platform/testing/until.ts";
import { closeCatalogCache } from "../../catalog/test-support.ts";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp, type TestInstance } from "../../testing/harness.ts";
import { searchEngine } from "../engine.ts";
import { seedSearchFixture } from "../test-support.ts";
import type { MemoryEngine } from "./engine.ts";

setDefaultTimeout(60_000);

/** The freshness bound of docs/search.md: a write through admin is searchable on every instance within this. */
const FRESH_MS = 1000;

let t: TestApp;
let b: TestInstance;
let admin: Record<string, string>;

async function searchOn(i: TestInstance, q: string): Promise<{ total: number; items: { slug: string }[] }> {
  const res = await i.request(`/api/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; items: { slug: string }[] };
}

const memory = (i: TestInstance) => searchEngine(i.deps) as MemoryEngine;

beforeAll(async () => {
  t = await createTestApp({ env: { SEARCH_ENGINE: "memory", SEARCH_SYNC_MS: "100" } });
  await seedSearchFixture(t.database.sql);
  // The fixture was written with SQL (no events): instance A rebuilds; B starts after it and builds from it.
  await memory(t).reindex();
  b = t.instance();
  await b.request("/api/search?q=x");
  await memory(b).ready();
  admin = (await userWithToken(t, "admin")).headers;
});

afterAll(async () => {
  await b?.close();
  await closeCatalogCache(t);
  await t.close();
});

describe("start-up", () => {
  test("an instance answers search at once (Postgres) and from its index once built", async () => {
    const c = t.instance();
    try {
      const engine = memory(c);
      // Before the index exists the answer is Postgres's, and the same.
      const early = await searchOn(c, "headphones");
      expect(early.total).toBe(2);
      await engine.ready();
      expect(engine.isReady()).toBe(true);
      expect((await searchOn(c, "headphones")).total).toBe(2);
    } finally {
      await c.close();
    }
  });
});

describe("freshness across instances", () => {
  test("created, renamed, repriced and archived through admin on A: seen on B within a second", async () => {
    const created = await t.request("/api/admin/products", {
      method: "POST",
      headers: admin,
      json: {
        title: "Quasar Kettle",
        description: "Whistling stovetop kettle",
        brand: "Nimbus",
        category: "home",
        variants: [{ sku: "QK-1", price: { amount: 4500, currency: "USD" }, stock: 3 }],
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    await until(async () => (await searchOn(b, "quasar")).total === 1, "B finds the new product", FRESH_MS);

    const renamed = await t.request(`/api/admin/products/${id}`, {
      method: "PATCH",
      headers: admin,
      json: {
        title: "Pulsar Kettle",
        variants: [{ sku: "QK-1", price: { amount: 12_000, currency: "USD" } }],
      },
    });
    expect(renamed.status).toBe(200);
    await until(
      async () => (await searchOn(b, "pulsar")).total === 1 && (await searchOn(b, "quasar")).total === 0,
      "B finds the new title and not the old one",
      FRESH_MS,
    );
    // The price moved it to another facet bucket and filter range.
    const priced = await b.request("/api/search?q=pulsar&min_price=10000");
    expect(((await priced.json()) as { total: number }).total).toBe(1);

    const archived = await t.request(`/api/admin/products/${id}`, { method: "DELETE", headers: admin });
    expect(archived.status).toBeLessThan(300);
    await until(
      async () => (await searchOn(b, "pulsar")).total === 0,
      "B drops the archived product",
      FRESH_MS,
    );
    const suggested = await (await b.request("/api/search/suggest?q=pulsar")).json();
    expect(suggested).toEqual([]);
  });

  test("a stock change through admin flips the in_stock filter on B", async () => {
    const inStock = async () =>
      ((await (await b.request("/api/search?q=studio&in_stock=true")).json()) as { total: number }).total;
    expect(await inStock()).toBe(0);
    const res = await t.request("/api/admin/inventory/STUDIO-HEADPHONES/adjust", {
      method: "POST",
      headers: admin,
      json: { delta: 4, reason: "restock" },
    });
    expect(res.status).toBe(200);
    await until(async () => (await inStock()) === 1, "B sees the restock", FRESH_MS);
  });

  test("the items B answers with follow variant, stock-status and category writes that leave products alone", async () => {
    type Item = {
      slug: string;
      category: { name: string };
      variants: { sku: string; title: string; stock_status: string }[];
    };
    const item = async () => {
      const res = await b.request("/api/search?q=studio");
      const body = (await res.json()) as { items: Item[] };
      return body.items.find((i) => i.slug === "studio-headphones")!;
    };
    const variant = async () => (await item()).variants.find((v) => v.sku === "STUDIO-HEADPHONES")!;
    // Shown once, so B keeps the item; each write below must reach it within the bound.
    expect((await variant()).stock_status).toBe("low_stock");
    // 4 -> 14 crosses the low-stock threshold only: products.in_stock stays true, no products row is written.
    const res = await t.request("/api/admin/inventory/STUDIO-HEADPHONES/adjust", {
      method: "POST",
      headers: admin,
      json: { delta: 10, reason: "restock" },
    });
    expect(res.status).toBe(200);
    await until(async () => (await variant()).stock_status === "in_stock", "B shows in stock", FRESH_MS);
    await t.database.sql`update variants set title = 'Matte black' where sku = 'STUDIO-HEADPHONES'`;
    await until(async () => (await variant()).title === "Matte black", "B shows the variant title", FRESH_MS);
    await t.database.sql`update categories set name = 'Sound' where slug = 'audio'`;
    await until(async () => (await item()).category.name === "Sound", "B shows the category name", FRESH_MS);
  });
});
