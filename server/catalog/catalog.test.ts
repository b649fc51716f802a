import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { testRedisUrl } from "../../db/testing.ts";
import { whenRedisReady } from "../../platform/redis.ts";
import { createTestApp, type TestApp, type TestInstance } from "../testing/harness.ts";
import { invalidateProductsBySku, onCatalogEvent } from "./invalidate.ts";
import type { ProductDetail, ProductListItem } from "./present.ts";
import type { CategoryNode } from "./queries.ts";
import { getSkuDetails } from "./skus.ts";
import { closeCatalogCache, loads, seedFixture } from "./test-support.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface Page {
  items: ProductListItem[];
  page: number;
  page_size: number;
  total: number;
}
interface Problem {
  status: number;
  type: string;
  errors?: { path: string; message: string }[];
}

const redisAvailable = (await testRedisUrl()) !== null;
let t: TestApp;

beforeAll(async () => {
  // The SQL list path and its caching (memory/list-source.test.ts covers lists chosen by the search index).
  t = await createTestApp({ redis: true, env: { SEARCH_ENGINE: "postgres" } });
  await seedFixture(t.database.sql);
});
afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

async function list(query: string, app: { request: TestApp["request"] } = t): Promise<Page> {
  const res = await app.request(`/api/catalog/products${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}
const slugs = (p: Page) => p.items.map((i) => i.slug);

describe("GET /api/catalog/categories", () => {
  test("returns the tree with children", async () => {
    const res = await t.request("/api/catalog/categories");
    expect(res.status).toBe(200);
    const tree = (await res.json()) as CategoryNode[];
    expect(tree.map((c) => c.slug)).toEqual(["electronics", "home"]);
    expect(tree[0]!.children[0]!.slug).toBe("phones");
    expect(tree[0]!.children[0]!.children).toEqual([
      expect.objectContaining({ slug: "smartphones", name: "Smartphones", children: [] }),
    ]);
  });
});

describe("GET /api/catalog/products", () => {
  test("lists active products newest first with the list envelope", async () => {
    const page = await list("");
    expect(slugs(page)).toEqual(["desk-lamp", "basic-phone", "pixel-phone"]);
    expect(page).toMatchObject({ page: 1, page_size: 24, total: 3 });
    const pixel = page.items.find((i) => i.slug === "pixel-phone")!;
    expect(pixel.price).toEqual({ amount: 49900, currency: "USD" });
    expect(pixel.max_price).toEqual({ amount: 59900, currency: "USD" });
    expect(pixel.in_stock).toBe(true);
    expect(pixel.category).toMatchObject({ slug: "smartphones" });
    expect(pixel.variants.map((v) => v.stock_status)).toEqual(["in_stock", "out_of_stock"]);
  });

  test("category includes descendants", async () => {
    expect(slugs(await list("?category=electronics")).sort()).toEqual(["basic-phone", "pixel-phone"]);
    expect(slugs(await list("?category=smartphones"))).toEqual(["pixel-phone"]);
    expect((await list("?category=nothing-here")).total).toBe(0);
  });

  test("brand, price range and stock filters", async () => {
    expect(slugs(await list("?brand=Acme"))).toEqual(["desk-lamp", "basic-phone"]);
    expect(slugs(await list("?min_price=5000&max_price=50000"))).toEqual(["basic-phone", "pixel-phone"]);
    expect(slugs(await list("?in_stock=true"))).toEqual(["basic-phone", "pixel-phone"]);
    expect(slugs(await list("?in_stock=false"))).toEqual(["desk-lamp"]);
  });

  test("sorts", async () => {
    expect(slugs(await list("?sort=price_asc"))).toEqual(["desk-lamp", "basic-phone", "pixel-phone"]);
    expect(slugs(await list("?sort=price_desc"))).toEqual(["pixel-phone", "basic-phone", "desk-lamp"]);
    await t.database.sql`update products set rating_sum = 9, rating_count = 2 where slug = 'basic-phone'`;
    await t.database.sql`update products set rating_sum = 5, rating_count = 1 where slug = 'desk-lamp'`;
    // A write made behind the API's back: tell the cache, as any writer must.
    await onCatalogEvent(t.deps, { type: "product.updated", data: { slug: "basic-phone" } });
    expect(slugs(await list("?sort=rating"))).toEqual(["desk-lamp", "basic-phone", "pixel-phone"]);
  });

  test("pages", async () => {
    const p2 = await list("?page=2&page_size=2");
    expect(p2).toMatchObject({ page: 2, page_size: 2, total: 3 });
    expect(slugs(p2)).toEqual(["pixel-phone"]);
    const p9 = await list("?page=9&page_size=2");
    expect(p9.items).toEqual([]);
    expect(p9.total).toBe(3);
  });

  test("page_size above 100 is capped at 100 (as API.md says), not refused", async () => {
    for (const size of ["101", "1000", "99999999999999999999"]) {
      const page = await list(`?page_size=${size}`);
      expect(page).toMatchObject({ page: 1, page_size: 100, total: 3 });
    }
  });

  test("bad query values are 422 with field paths", async () => {
    const res = await t.request(
      "/api/catalog/products?page_size=0&sort=cheapest&min_price=-1&in_stock=maybe&page=0",
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as Problem;
    expect(body.errors!.map((e) => e.path).sort()).toEqual([
      "in_stock",
      "min_price",
      "page",
      "page_size",
      "sort",
    ]);
    const range = await t.request("/api/catalog/products?min_price=500&max_price=100");
    expect(range.status).toBe(422);
    expect(((await range.json()) as Problem).errors!.map((e) => e.path)).toEqual(["max_price"]);
  });
});

describe("GET /api/catalog/products/:slug", () => {
  test("returns variants, stock status, category, brand, images and rating", async () => {
    const res = await t.request("/api/catalog/products/basic-phone");
    expect(res.status).toBe(200);
    const p = (await res.json()) as ProductDetail;
    expect(p).toMatchObject({
      slug: "basic-phone",
      brand: "Acme",
      category: { slug: "phones", name: "Phones" },
      images: ["https://img.example.com/basic-phone.jpg"],
      variants: [
        {
          sku: "BAS-1",
          title: "BAS-1 title",
          price: { amount: 9900, currency: "USD" },
          stock_status: "low_stock",
        },
      ],
      rating: { average: 4.5, count: 2 },
    });
    expect(p.variants[0]).not.toHaveProperty("stock");
  });

  test("unknown or malformed slug is 404", async () => {
    for (const slug of ["no-such-thing", "Bad_Slug"]) {
      const res = await t.request(`/api/catalog/products/${slug}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as Problem).type).toContain("not-found");
    }
  });

  test("archived products are hidden", async () => {
    await t.database.sql`update products set status = 'archived' where slug = 'desk-lamp'`;
    await onCatalogEvent(t.deps, { type: "product.archived", data: { slug: "desk-lamp" } });
    expect((await t.request("/api/catalog/products/desk-lamp")).status).toBe(404);
    expect(slugs(await list(""))).not.toContain("desk-lamp");
    await t.database.sql`update products set status = 'active' where slug = 'desk-lamp'`;
    await onCatalogEvent(t.deps, { type: "product.updated", data: { slug: "desk-lamp" } });
    expect((await t.request("/api/catalog/products/desk-lamp")).status).toBe(200);
  });
});

describe("cache", () => {
  test("counts hits and misses in /metrics", async () => {
    await t.request("/api/catalog/products/pixel-phone");
    await t.request("/api/catalog/products/pixel-phone");
    const text = await (await t.request("/metrics")).text();
    expect(text).toMatch(/cache_requests_total\{cache="product",result="hit"\} \d+/);
    expect(text).toMatch(/cache_requests_total\{cache="product",result="miss"\} \d+/);
  });

  test("a filter set's total is counted once for every sort, page and page size, and follows writes", async () => {
    const before = loads(t.deps, "product_count");
    const a = await list("?brand=Acme&sort=price_asc&page_size=1");
    const b = await list("?brand=Acme&sort=newest&page=2&page_size=1");
    const c = await list("?sort=rating&page_size=5&brand=Acme");
    expect([a.total, b.total, c.total]).toEqual([2, 2, 2]);
    expect(loads(t.deps, "product_count") - before).toBe(1);
    // A write makes the cached total obsolete along with the pages.
    await t.database.sql`update products set brand = 'Acme' where slug = 'pixel-phone'`;
    await onCatalogEvent(t.deps, { type: "product.updated", data: { slug: "pixel-phone" } });
    const d = await list("?brand=Acme&sort=newest&page=2&page_size=1");
    expect(d.total).toBe(3);
    await t.database.sql`update products set brand = 'Globex' where slug = 'pixel-phone'`;
    await onCatalogEvent(t.deps, { type: "product.updated", data: { slug: "pixel-phone" } });
    expect((await list("?brand=Acme")).total).toBe(2);
  });

  test("a stock change from checkout is visible after invalidateProductsBySku", async () => {
    const before = (await (await t.request("/api/catalog/products/pixel-phone")).json()) as ProductDetail;
    expect(before.variants[1]!.stock_status).toBe("out_of_stock");
    await t.database.sql`update inventory set quantity = 4 where sku = 'PIX-256'`;
    await invalidateProductsBySku(t.deps, ["PIX-256"]);
    const after = (await (await t.request("/api/catalog/products/pixel-phone")).json()) as ProductDetail;
    expect(after.variants[1]!.stock_status).toBe("low_stock");
  });

  // Calls the event handler directly; the real outbox → relay → broker → consumer path is
  // tested in workers/pipeline.test.ts.
  test("a refund that restocks (order.status_changed, restocked) heals the cache when its event is handled", async () => {
    const stock = async () =>
      ((await (await t.request("/api/catalog/products/desk-lamp")).json()) as ProductDetail).variants[0]!
        .stock_status;
    const was = await stock();
    await t.database.sql`update inventory set quantity = quantity + 50 where sku = 'LAMP-1'`;
    // The writing request crashed before its own raise; only the event is left.
    await onCatalogEvent(t.deps, {
      type: "order.status_changed",
      data: { from: "paid", to: "refunded", restocked: true, items: [{ sku: "LAMP-1", quantity: 50 }] },
    });
    expect(await stock()).toBe("in_stock");
    await t.database.sql`update inventory set quantity = quantity - 50 where sku = 'LAMP-1'`;
    await invalidateProductsBySku(t.deps, ["LAMP-1"]);
    expect(await stock()).toBe(was);
  });

  // The cross-instance rebuild lock lives in Redis; without one each instance loads once.
  test.skipIf(!redisAvailable)(
    "50 concurrent cold requests across two instances cause one database load",
    async () => {
      const other = t.instance();
      try {
        // A client still connecting bypasses the cache by design; start once both are up.
        if (other.deps.redis) expect(await whenRedisReady(other.deps.redis)).toBe(true);
        // Make the entry cold for everyone.
        await onCatalogEvent(t.deps, { type: "product.updated", data: { slug: "basic-phone" } });
        const before = loads(t.deps, "product") + loads(other.deps, "product");
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 ? other : t).request("/api/catalog/products/basic-phone"),
          ),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
        const bodies = new Set(await Promise.all(responses.map((r) => r.text())));
        expect(bodies.size).toBe(1);
        expect(loads(t.deps, "product") + loads(other.deps, "product") - before).toBe(1);
      } finally {
        await other.close();
      }
    },
  );

  test("requests still succeed when Redis is unreachable", async () => {
    const port = await closedPort();
    const down: TestInstance = t.instance({ redisUrl: `redis://127.0.0.1:${port}` });
    try {
      for (let i = 0; i < 2; i++) {
        expect((await down.request("/api/catalog/products/pixel-phone")).status).toBe(200);
        expect((await down.request("/api/catalog/products?sort=price_asc")).status).toBe(200);
        expect((await down.request("/api/catalog/categories")).status).toBe(200);
      }
      expect((await down.request("/api/catalog/products/nope")).status).toBe(404);
      const text = down.deps.metrics.render();
      expect(text).toMatch(/cache_requests_total\{cache="product",result="bypass"\} [1-9]/);
    } finally {
      await down.close();
    }
  });

  test("in-process caches learn of raises from other instances through LISTEN/NOTIFY", async () => {
    const a = t.instance({ redisUrl: null });
    const b = t.instance({ redisUrl: null });
    try {
      const first = async (i: TestInstance) =>
        ((await (await i.request("/api/catalog/products/desk-lamp")).json()) as ProductDetail).price.amount;
      // Wait until both are listening (the cache bypasses itself until then).
      await waitFor(async () => (await first(a)) > 0 && hits(a) + misses(a) > 0);
      await waitFor(async () => (await first(b)) > 0 && hits(b) + misses(b) > 0);
      expect(await first(b)).toBe(2500);
      await t.database.sql`update variants set price = 2700 where sku = 'LAMP-1'`;
      await onCatalogEvent(a.deps, { type: "product.updated", data: { slug: "desk-lamp" } });
      await waitFor(async () => (await first(b)) === 2700);
      expect(await first(a)).toBe(2700);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("getSkuDetails", () => {
  test("returns product and variant facts per SKU", async () => {
    const found = await getSkuDetails(t.deps.db.primary, ["BAS-1", "NOPE"]);
    expect(found).toEqual([
      {
        sku: "BAS-1",
        product_id: expect.any(Number),
        product_title: "basic phone",
        variant_title: "BAS-1 title",
        price: 9900,
        currency: "USD",
        status: "active",
      },
    ]);
  });
});

function hits(i: TestInstance): number {
  return i.deps.metrics.counter("cache_requests_total", "").get({ cache: "product", result: "hit" });
}
function misses(i: TestInstance): number {
  return i.deps.metrics.counter("cache_requests_total", "").get({ cache: "product", result: "miss" });
}

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(20);
  }
}

async function closedPort(): Promise<number> {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}
