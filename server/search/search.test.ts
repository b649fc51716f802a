import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { closeCatalogCache } from "../catalog/test-support.ts";
import { userWithToken } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { seedSearchFixture } from "./test-support.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface Item {
  slug: string;
  price: { amount: number };
  rating: { average: number | null; count: number };
}
interface Page {
  items: Item[];
  page: number;
  page_size: number;
  total: number;
  sort: string;
  match: string;
  facets: {
    categories: { slug: string; count: number }[];
    brands: { value: string; count: number }[];
    price: { from: number; to: number | null; count: number }[];
    rating: { min: number; count: number }[];
  };
}

let t: TestApp;

beforeAll(async () => {
  // The Postgres engine's own suite (the in-process index is compared with it in memory/*.test.ts).
  t = await createTestApp({ env: { SEARCH_ENGINE: "postgres" } });
  await seedSearchFixture(t.database.sql);
});

afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

async function search(query: string): Promise<Page> {
  const res = await t.request(`/api/search?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}
const slugs = (p: Page) => p.items.map((i) => i.slug);

describe("full text", () => {
  test("finds active products by title, brand and description; archived ones never", async () => {
    const p = await search("q=headphones");
    expect(p.match).toBe("full_text");
    expect(p.sort).toBe("relevance");
    expect(p.total).toBe(2);
    expect(slugs(p).sort()).toEqual(["studio-headphones", "wireless-headphones"]);
    expect((await search("q=sonica")).total).toBe(2);
    expect(slugs(await search("q=stoneware"))).toEqual(["cafe-creme-mug"]);
    expect((await search("q=vintage")).total).toBe(0);
  });

  test("items have exactly the product list's shape", async () => {
    const found = (await search("q=wireless")).items[0];
    const res = await t.request("/api/catalog/products?brand=Sonica");
    const listed = ((await res.json()) as { items: Item[] }).items.find(
      (i) => i.slug === "wireless-headphones",
    );
    expect(found).toEqual(listed!);
  });

  test("accents and case are ignored both ways", async () => {
    expect(slugs(await search("q=CAFE%20creme"))).toEqual(["cafe-creme-mug"]);
    expect(slugs(await search(`q=${encodeURIComponent("mûg")}`))).toEqual(["cafe-creme-mug"]);
  });

  test("stemming matches singular and plural", async () => {
    expect((await search("q=headphone")).total).toBe(2);
    expect(slugs(await search("q=mugs"))).toEqual(["cafe-creme-mug"]);
  });

  test("the last word matches as a prefix (search as you type)", async () => {
    const p = await search("q=wireless%20headph");
    expect(p.match).toBe("full_text");
    expect(slugs(p)).toEqual(["wireless-headphones"]);
  });

  test("websearch syntax: exclusion and phrases", async () => {
    expect(slugs(await search(`q=${encodeURIComponent("headphones -studio")}`))).toEqual([
      "wireless-headphones",
    ]);
    expect(slugs(await search(`q=${encodeURIComponent('"studio headphones"')}`))).toEqual([
      "studio-headphones",
    ]);
  });

  test("relevance puts the closest title first", async () => {
    expect(slugs(await search("q=studio%20headphones"))[0]).toBe("studio-headphones");
    expect(slugs(await search("q=wireless%20headphones"))[0]).toBe("wireless-headphones");
  });
});

describe("typo tolerance", () => {
  test("falls back to trigram similarity when full text finds nothing", async () => {
    const p = await search("q=hedphones");
    expect(p.match).toBe("fuzzy");
    expect(slugs(p).sort()).toEqual(["studio-headphones", "wireless-headphones"]);
    expect(p.total).toBe(2);
    expect(slugs(await search("q=wireles%20hedphones"))[0]).toBe("wireless-headphones");
  });

  test("nonsense finds nothing, with empty facets", async () => {
    const p = await search("q=zzqxv");
    expect(p.total).toBe(0);
    expect(p.items).toEqual([]);
    expect(p.facets).toEqual({ categories: [], brands: [], price: [], rating: [] });
  });

  test("text without any word is no error", async () => {
    expect((await search(`q=${encodeURIComponent("!!! ???")}`)).total).toBe(0);
  });
});

describe("filters and facets", () => {
  test("category includes descendants; facets count the filtered set and roll up the tree", async () => {
    const p = await search("category=electronics");
    expect(p.match).toBe("all");
    expect(p.total).toBe(4);
    expect(p.facets.categories).toEqual([
      { slug: "electronics", count: 4 },
      { slug: "audio", count: 2 },
      { slug: "phones", count: 2 },
      { slug: "smartphones", count: 1 },
    ]);
    expect(p.facets.brands).toEqual([
      { value: "Sonica", count: 2 },
      { value: "Acme", count: 1 },
      { value: "Globex", count: 1 },
    ]);
    expect(p.facets.price).toEqual([
      { from: 5000, to: 10000, count: 1 },
      { from: 10000, to: 25000, count: 1 },
      { from: 25000, to: 50000, count: 2 },
    ]);
    expect(p.facets.rating).toEqual([
      { min: 4, count: 1 },
      { min: 3, count: 2 },
      { min: 2, count: 2 },
      { min: 1, count: 2 },
    ]);
  });

  test("every facet count is the total of applying it as a filter", async () => {
    const base = await search("q=headphones%20OR%20phone%20OR%20mug");
    expect(base.total).toBe(5);
    // The loops below prove nothing over empty facets: each kind must have buckets.
    expect(base.facets.categories.length).toBeGreaterThan(1);
    expect(base.facets.brands.length).toBeGreaterThan(1);
    expect(base.facets.price.length).toBeGreaterThan(1);
    expect(base.facets.rating.length).toBeGreaterThan(1);
    for (const c of base.facets.categories) {
      expect((await search(`q=headphones%20OR%20phone%20OR%20mug&category=${c.slug}`)).total).toBe(c.count);
    }
    for (const b of base.facets.brands) {
      expect((await search(`q=headphones%20OR%20phone%20OR%20mug&brand=${b.value}`)).total).toBe(b.count);
    }
    for (const b of base.facets.price) {
      const range = `min_price=${b.from}${b.to === null ? "" : `&max_price=${b.to - 1}`}`;
      expect((await search(`q=headphones%20OR%20phone%20OR%20mug&${range}`)).total).toBe(b.count);
    }
    for (const r of base.facets.rating) {
      expect((await search(`q=headphones%20OR%20phone%20OR%20mug&min_rating=${r.min}`)).total).toBe(r.count);
    }
  });

  test("brand, price range, stock and rating filters", async () => {
    expect(slugs(await search("brand=Acme&sort=price_asc"))).toEqual([
      "cafe-creme-mug",
      "desk-lamp",
      "basic-phone",
    ]);
    expect(slugs(await search("min_price=9900&max_price=19900&sort=price_asc"))).toEqual([
      "basic-phone",
      "wireless-headphones",
    ]);
    const inStock = await search("q=headphones&in_stock=true");
    expect(slugs(inStock)).toEqual(["wireless-headphones"]);
    expect(inStock.facets.brands).toEqual([{ value: "Sonica", count: 1 }]);
    expect(slugs(await search("in_stock=false&sort=price_asc"))).toEqual(["desk-lamp", "studio-headphones"]);
    expect(slugs(await search("min_rating=4"))).toEqual(["wireless-headphones"]);
  });

  test("filters apply to the typo fallback too", async () => {
    const p = await search("q=hedphones&in_stock=false");
    expect(p.match).toBe("fuzzy");
    expect(slugs(p)).toEqual(["studio-headphones"]);
    expect(p.facets.categories).toEqual([
      { slug: "audio", count: 1 },
      { slug: "electronics", count: 1 },
    ]);
  });

  test("an unknown category matches nothing", async () => {
    expect((await search("category=no-such-thing")).total).toBe(0);
  });
});

describe("sorts and paging", () => {
  test("price, rating and newest sorts", async () => {
    const prices = (await search("sort=price_asc")).items.map((i) => i.price.amount);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(prices).toHaveLength(6);
    const desc = (await search("sort=price_desc")).items.map((i) => i.price.amount);
    expect(desc).toEqual([...prices].reverse());
    expect(slugs(await search("sort=rating")).slice(0, 2)).toEqual([
      "wireless-headphones",
      "studio-headphones",
    ]);
    // Newest first: the search fixture products were inserted after the catalog ones.
    expect(slugs(await search("sort=newest"))[0]).toBe("cafe-creme-mug");
  });

  test("relevance without text falls back to newest; the default sort depends on q", async () => {
    const p = await search("sort=relevance");
    expect(p.sort).toBe("newest");
    expect(slugs(p)).toEqual(slugs(await search("sort=newest")));
    expect((await search("")).sort).toBe("newest");
    expect((await search("q=")).sort).toBe("newest");
  });

  test("pages partition the results; total is the whole set", async () => {
    const all = slugs(await search("sort=price_asc&page_size=100"));
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const p = await search(`sort=price_asc&page_size=2&page=${page}`);
      expect(p.total).toBe(6);
      expect(p.page).toBe(page);
      expect(p.page_size).toBe(2);
      pages.push(...slugs(p));
    }
    expect(pages).toEqual(all);
    const beyond = await search("page=9&page_size=2");
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(6);
  });

  test("page_size above 100 is capped like the product list", async () => {
    expect((await search("page_size=1000")).page_size).toBe(100);
  });
});

describe("suggestions", () => {
  test("prefixes complete to titles with their slugs, at most 10, archived never", async () => {
    const res = await t.request("/api/search/suggest?q=head");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { text: string; slug: string }[];
    expect(body.map((s) => s.slug).sort()).toEqual(["studio-headphones", "wireless-headphones"]);
    expect(body).toContainEqual({ text: "Wireless Headphones", slug: "wireless-headphones" });
    // Twelve active products share a prefix: the answer stops at exactly ten.
    const extra = Array.from({ length: 12 }, (_, i) => `zephyr-model-${String(i).padStart(2, "0")}`);
    for (const slug of extra) {
      await t.database.sql`insert into products (slug, title, description, brand, category_id, status)
        select ${slug}, ${`Zephyr Model ${slug.slice(-2)}`}, 'Fan', 'Windco', id, 'active'
        from categories where slug = 'home'`;
    }
    try {
      const many = (await (await t.request("/api/search/suggest?q=zeph")).json()) as { slug: string }[];
      expect(many).toHaveLength(10);
      for (const s of many) expect(extra).toContain(s.slug);
    } finally {
      await t.database.sql`delete from products where slug in ${t.database.sql(extra)}`;
    }
  });

  test("titles starting with the prefix come first; accents fold", async () => {
    const body = (await (await t.request("/api/search/suggest?q=stud")).json()) as { slug: string }[];
    expect(body[0]!.slug).toBe("studio-headphones");
    const cafe = (await (await t.request("/api/search/suggest?q=caf")).json()) as { text: string }[];
    expect(cafe).toEqual([{ text: "Café Crème Mug", slug: "cafe-creme-mug" } as never]);
  });

  test("a misspelt prefix still suggests", async () => {
    const body = (await (await t.request("/api/search/suggest?q=hedphones")).json()) as { slug: string }[];
    expect(body.map((s) => s.slug)).toContain("wireless-headphones");
  });
});

describe("validation", () => {
  const problem = async (path: string) => {
    const res = await t.request(path);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    return ((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
  };

  test("bad search parameters are a 422 naming each field", async () => {
    expect(await problem(`/api/search?q=${"x".repeat(201)}`)).toEqual(["q"]);
    expect(await problem("/api/search?sort=popular")).toEqual(["sort"]);
    expect(await problem("/api/search?page=0&page_size=abc")).toEqual(["page", "page_size"]);
    expect(await problem("/api/search?min_price=500&max_price=100")).toEqual(["max_price"]);
    expect(await problem("/api/search?category=Not%20A%20Slug&in_stock=maybe&min_rating=6")).toEqual([
      "category",
      "in_stock",
      "min_rating",
    ]);
    expect(await problem("/api/search?q=a%00b")).toEqual(["q"]);
  });

  test("text full of tsquery, LIKE and unaccent oddities is searched, never a 500", async () => {
    const odd = [
      "foo & bar",
      "a:*",
      "(",
      "!",
      "'",
      "\\",
      "%",
      "_",
      "50%",
      "C++",
      "½",
      "ﬁne",
      "™ headphones",
      "😀",
    ];
    for (const q of [...odd, '"unclosed', "--x", "x <-> y", "or", "日本語"]) {
      for (const path of ["/api/search", "/api/search/suggest"]) {
        const res = await t.request(`${path}?q=${encodeURIComponent(q)}`);
        expect(`${path} ${q} ${res.status}`).toBe(`${path} ${q} 200`);
      }
    }
    // Wildcards are literal in suggestions: "%" completes nothing rather than everything.
    expect(await (await t.request("/api/search/suggest?q=%25")).json()).toEqual([]);
  });

  test("200 characters of text are accepted", async () => {
    const q = `headphones${" ".repeat(180)}headphones`;
    expect(q).toHaveLength(200);
    expect(slugs(await search(`q=${encodeURIComponent(q)}`)).sort()).toEqual([
      "studio-headphones",
      "wireless-headphones",
    ]);
    expect(await problem(`/api/search?q=${encodeURIComponent(`${q}s`)}`)).toEqual(["q"]);
  });

  test("suggest needs 1 to 100 characters", async () => {
    expect(await problem("/api/search/suggest")).toEqual(["q"]);
    expect(await problem("/api/search/suggest?q=%20%20")).toEqual(["q"]);
    expect(await problem(`/api/search/suggest?q=${"x".repeat(101)}`)).toEqual(["q"]);
  });
});

describe("the vector follows writes", () => {
  test("a renamed product is found by its new title at once (trigger)", async () => {
    await t.database.sql`update products set title = 'Desk Lantern' where slug = 'desk-lamp'`;
    expect(slugs(await search("q=lantern"))).toEqual(["desk-lamp"]);
    await t.database.sql`update products set title = 'desk lamp' where slug = 'desk-lamp'`;
    expect((await search("q=lantern")).total).toBe(0);
  });

  test("archiving hides a product from search and suggestions", async () => {
    await t.database.sql`update products set status = 'archived' where slug = 'cafe-creme-mug'`;
    try {
      expect((await search("q=mug")).total).toBe(0);
      expect(await (await t.request("/api/search/suggest?q=caf")).json()).toEqual([]);
    } finally {
      await t.database.sql`update products set status = 'active' where slug = 'cafe-creme-mug'`;
    }
  });
});

describe("POST /api/admin/search/reindex", () => {
  test("needs a token (401) and the admin or staff role (403)", async () => {
    expect((await t.request("/api/admin/search/reindex", { method: "POST" })).status).toBe(401);
    const customer = await userWithToken(t, "customer");
    const res = await t.request("/api/admin/search/reindex", { method: "POST", headers: customer.headers });
    expect(res.status).toBe(403);
  });

  test("recomputes stale vectors and reports counts", async () => {
    // Simulate a vector gone stale (e.g. written before a dictionary change).
    await t.database
      .sql`update products set search_vector = to_tsvector('simple', 'stale') where slug = 'basic-phone'`;
    // Full text no longer finds it (only the title-trigram fallback does).
    expect((await search("q=basic")).match).toBe("fuzzy");
    for (const role of ["admin", "staff"] as const) {
      const user = await userWithToken(t, role);
      const res = await t.request("/api/admin/search/reindex", { method: "POST", headers: user.headers });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        engine: string;
        indexed: number;
        updated: number;
        took_ms: number;
      };
      expect(body.engine).toBe("postgres");
      expect(body.indexed).toBe(6);
      expect(body.updated).toBe(role === "admin" ? 1 : 0);
      expect(Number.isFinite(body.took_ms) && body.took_ms >= 0).toBe(true);
    }
    const after = await search("q=basic");
    expect(after.match).toBe("full_text");
    expect(slugs(after)).toEqual(["basic-phone"]);
  });
});
