import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { activeProductIdSql } from "../catalog/content.ts";
import type { DomainEvent } from "../core/outbox.ts";
import { checkoutBody, createUsers, fillCart, type TestUser } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { onRecommendEvent } from "./ingest.ts";
import { boughtTogether, similarProducts } from "./serve.ts";
import { rankForProduct } from "./store.ts";

setDefaultTimeout(120_000);

interface Answer {
  strategy: string;
  items: { slug: string }[];
}

let t: TestApp;
let buyers: TestUser[];

async function product(slug: string, title: string, category: number): Promise<number> {
  const [row] = await t.sql<{ id: string }[]>`
    insert into products (slug, title, description, brand, category_id, status)
    values (${slug}, ${title}, ${title}, 'Acme', ${category}, 'active') returning id`;
  await t.sql`insert into variants (product_id, sku, title, price) values (${row!.id}, ${`SKU-${slug}`}, '', 1000)`;
  await t.sql`insert into inventory (sku, quantity) values (${`SKU-${slug}`}, 1000)`;
  return Number(row!.id);
}

/** Feeds the app's outbox events to the recommend consumer's handler (twice: it must be idempotent). */
async function consumeOutbox(): Promise<void> {
  const events = await t.sql<DomainEvent[]>`
    select id, type, occurred_at::text, data from outbox where type in ('order.paid') order by seq`;
  for (const e of [...events, ...events])
    await onRecommendEvent(t.deps, t.options.recommend, {
      ...e,
      occurred_at: new Date(e.occurred_at).toISOString(),
    });
}

const get = async (path: string, token?: string) => {
  const res = await t.request(`/api/ai/recommendations${path}`, token ? { token } : {});
  return { status: res.status, body: (await res.json()) as Answer };
};

beforeAll(async () => {
  t = await createTestApp();
  const [outdoor, kitchen] = await t.sql<{ id: string }[]>`
    insert into categories (slug, name) values ('outdoor', 'Outdoor camping'), ('kitchen', 'Kitchen') returning id`;
  const ids = new Map<string, number>();
  ids.set("tent", await product("tent", "Two person camping tent", Number(outdoor!.id)));
  ids.set("sleeping-bag", await product("sleeping-bag", "Camping sleeping bag", Number(outdoor!.id)));
  ids.set("camp-stove", await product("camp-stove", "Camping gas stove", Number(outdoor!.id)));
  for (const s of ["teapot", "mug", "kettle"])
    ids.set(s, await product(s, `Ceramic ${s}`, Number(kitchen!.id)));
  buyers = await createUsers(t.sql, 6);
  // Tent and sleeping bag go together in three orders; the teapot is bought alone.
  for (const [i, basket] of [
    ["tent", "sleeping-bag"],
    ["tent", "sleeping-bag", "mug"],
    ["tent", "sleeping-bag"],
    ["teapot"],
  ].entries()) {
    const u = buyers[i]!;
    for (const s of basket) await fillCart(t, u, `SKU-${s}`, 1);
    const res = await t.request("/api/checkout", {
      method: "POST",
      token: u.token,
      key: `k${i}`,
      json: checkoutBody(),
    });
    expect(res.status).toBe(201);
  }
  await consumeOutbox();
  for (const id of ids.values())
    await onRecommendEvent(t.deps, t.options.recommend, {
      type: "product.updated",
      data: { id },
      occurred_at: new Date().toISOString(),
    });
});
afterAll(() => t.close());

test("bought together comes from paid orders (min support 2), counted once per order", async () => {
  const { status, body } = await get("/products/tent/bought-together");
  expect(status).toBe(200);
  expect(body.strategy).toBe("bought_together");
  // mug shares one order with the tent: below the minimum support.
  expect(body.items.map((i) => i.slug)).toEqual(["sleeping-bag"]);
  const [row] = await t.sql<{ support: number }[]>`
    select support from rec_pairs p join products a on a.id = p.product_id join products b on b.id = p.other_id
    where a.slug = 'tent' and b.slug = 'sleeping-bag'`;
  expect(row!.support).toBe(3);
});

test("similar products follow the content; no data is an empty answer, an unknown product a 404", async () => {
  const similar = await get("/products/tent/similar?limit=2");
  expect(similar.body.items.map((i) => i.slug).sort()).toEqual(["camp-stove", "sleeping-bag"]);
  const none = await get("/products/kettle/bought-together");
  expect(none).toEqual({ status: 200, body: { strategy: "none", items: [] } });
  expect((await get("/products/no-such-thing/similar")).status).toBe(404);
  expect((await get("/products/tent/similar?limit=500")).status).toBe(422);
});

test("for you: from the customer's orders and views; popular without history; sign-in required", async () => {
  expect((await get("/for-you")).status).toBe(401);
  const teapotBuyer = buyers[3]!;
  const fresh = buyers[5]!;
  const cold = await get("/for-you", fresh.token);
  expect(cold.body.strategy).toBe("popular");
  expect(cold.body.items[0]!.slug).toMatch(/tent|sleeping-bag/);
  const view = await t.request("/api/ai/recommendations/views", {
    method: "POST",
    token: fresh.token,
    json: { slug: "tent" },
  });
  expect(view.status).toBe(204);
  const warm = await get("/for-you", fresh.token);
  expect(warm.body.strategy).toBe("for_you");
  expect(warm.body.items[0]!.slug).toBe("sleeping-bag");
  const mine = await get("/for-you", teapotBuyer.token);
  expect(mine.body.items.map((i) => i.slug)).not.toContain("teapot");
});

test("the routes' one-statement ranking (slug lookup inside) equals boughtTogether and similarProducts", async () => {
  const products = await t.sql<{ id: string; slug: string }[]>`select id, slug from products order by id`;
  for (const p of products)
    for (const k of [1, 2, 10]) {
      const seed = activeProductIdSql(t.sql, p.slug);
      const bt = await rankForProduct(t.sql, seed, "bought_together", 2, k);
      const sim = await rankForProduct(t.sql, activeProductIdSql(t.sql, p.slug), "similar", 2, k);
      expect(bt).toEqual({ seed: Number(p.id), ids: (await boughtTogether(t.sql, Number(p.id), 2, k)).ids });
      expect(sim).toEqual({ seed: Number(p.id), ids: (await similarProducts(t.sql, Number(p.id), k)).ids });
    }
  expect(await rankForProduct(t.sql, activeProductIdSql(t.sql, "no-such"), "similar", 2, 5)).toEqual({
    seed: null,
    ids: [],
  });
});

/** The product-page section `id` as the slugs of its cards; null when the page leaves it out. */
async function pageSection(slug: string, id: string): Promise<string[] | null> {
  const res = await t.request(`/p/${slug}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const start = html.indexOf(`data-recommend="${id}"`);
  if (start < 0) return null;
  const section = html.slice(start, html.indexOf("</section>", start));
  return [...section.matchAll(/href="\/p\/([a-z0-9-]+)"/g)].map((m) => m[1]!);
}

test("product pages show bought together and similar products as cards; empty lists are left out", async () => {
  expect(await pageSection("tent", "bought-together")).toEqual(["sleeping-bag"]);
  expect(await pageSection("tent", "similar")).toContain("camp-stove");
  expect(await pageSection("kettle", "bought-together")).toBeNull();
});

test("a cached product page shows new co-purchases once the consumer has counted them", async () => {
  expect(await pageSection("teapot", "bought-together")).toBeNull(); // now cached without the section
  expect(await pageSection("teapot", "bought-together")).toBeNull();
  for (const [i, u] of [buyers[4]!, buyers[5]!].entries()) {
    for (const s of ["teapot", "kettle"]) await fillCart(t, u, `SKU-${s}`, 1);
    const res = await t.request("/api/checkout", {
      method: "POST",
      token: u.token,
      key: `pair${i}`,
      json: checkoutBody(),
    });
    expect(res.status).toBe(201);
  }
  // the orders changed no product, so only the consumer's raise can rebuild the page
  expect(await pageSection("teapot", "bought-together")).toBeNull();
  await consumeOutbox();
  expect(await pageSection("teapot", "bought-together")).toEqual(["kettle"]);
});

test("missing tables degrade to no result, never a 5xx", async () => {
  await t.sql`drop table rec_similar`;
  const res = await get("/products/mug/similar");
  expect(res).toEqual({ status: 200, body: { strategy: "none", items: [] } });
  expect(await pageSection("mug", "similar")).toBeNull();
  expect(await pageSection("mug", "bought-together")).toBeNull();
});
