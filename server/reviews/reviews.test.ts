import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { ProductDetail, ProductListItem } from "../catalog/present.ts";
import { closeCatalogCache, seedFixture } from "../catalog/test-support.ts";
import { userWithToken } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import type { Review } from "./queries.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface Problem {
  status: number;
  errors?: { path: string }[];
}
interface Page {
  items: Review[];
  page: number;
  page_size: number;
  total: number;
}

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ redis: true });
  await seedFixture(t.database.sql);
});
afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

const post = (slug: string, headers: Record<string, string>, json: unknown) =>
  t.request(`/api/catalog/products/${slug}/reviews`, { method: "POST", headers, json });

describe("reviews", () => {
  test("posting needs a token (401); a tampered token is 401", async () => {
    expect((await post("pixel-phone", {}, { rating: 5 })).status).toBe(401);
    expect((await post("pixel-phone", { authorization: "Bearer x.y.z" }, { rating: 5 })).status).toBe(401);
  });

  test("creates a review, keeps the aggregate exact, records review.created, refreshes the cache", async () => {
    // Cache the product and a rating-sorted list first.
    await t.request("/api/catalog/products/pixel-phone");
    await t.request("/api/catalog/products?sort=rating");
    const a = await userWithToken(t);
    const b = await userWithToken(t);
    const res = await post("pixel-phone", a.headers, { rating: 5, title: "Great", body: "Love it" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ rating: 5, title: "Great", body: "Love it", user_id: a.id });
    expect((await post("pixel-phone", b.headers, { rating: 2 })).status).toBe(201);
    const p = (await (await t.request("/api/catalog/products/pixel-phone")).json()) as ProductDetail;
    expect(p.rating).toEqual({ average: 3.5, count: 2 });
    const list = (await (await t.request("/api/catalog/products?sort=rating")).json()) as {
      items: ProductListItem[];
    };
    expect(list.items[0]!.slug).toBe("pixel-phone");
    const [row] = await t.database
      .sql`select rating_sum, rating_count from products where slug = 'pixel-phone'`;
    expect(row).toMatchObject({ rating_sum: "7", rating_count: 2 });
    const events = await t.database.sql`select data from outbox where type = 'review.created'`;
    expect(events.length).toBe(2);
    expect(events[0]!.data).toMatchObject({ slug: "pixel-phone", rating: 5, user_id: a.id });
  });

  test("a second review by the same user is 409 and changes nothing", async () => {
    const u = await userWithToken(t);
    expect((await post("basic-phone", u.headers, { rating: 4 })).status).toBe(201);
    const again = await post("basic-phone", u.headers, { rating: 1 });
    expect(again.status).toBe(409);
    const [row] = await t.database
      .sql`select rating_sum, rating_count from products where slug = 'basic-phone'`;
    expect(row).toMatchObject({ rating_sum: "4", rating_count: 1 });
  });

  test("validation: bad JSON 400, rating out of range 422 with paths, unknown product 404", async () => {
    const u = await userWithToken(t);
    const bad = await t.request("/api/catalog/products/desk-lamp/reviews", {
      method: "POST",
      headers: { ...u.headers, "content-type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
    const invalid = await post("desk-lamp", u.headers, { rating: 6, title: "x".repeat(201) });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual([
      "rating",
      "title",
    ]);
    expect((await post("desk-lamp", u.headers, { rating: 3.5 })).status).toBe(422);
    expect((await post("no-such-product", u.headers, { rating: 3 })).status).toBe(404);
  });

  test("lists reviews newest first, paged; unknown product 404; bad paging 422", async () => {
    const res = await t.request("/api/catalog/products/pixel-phone/reviews?page_size=1");
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    expect(page).toMatchObject({ page: 1, page_size: 1, total: 2 });
    expect(page.items.map((r) => r.rating)).toEqual([2]);
    const p2 = (await (
      await t.request("/api/catalog/products/pixel-phone/reviews?page_size=1&page=2")
    ).json()) as Page;
    expect(p2.items.map((r) => r.rating)).toEqual([5]);
    const empty = (await (await t.request("/api/catalog/products/desk-lamp/reviews")).json()) as Page;
    expect(empty).toMatchObject({ items: [], total: 0 });
    expect((await t.request("/api/catalog/products/nope/reviews")).status).toBe(404);
    const capped = await t.request("/api/catalog/products/pixel-phone/reviews?page_size=1000");
    expect(capped.status).toBe(200);
    expect(((await capped.json()) as Page).page_size).toBe(100);
    const invalid = await t.request("/api/catalog/products/pixel-phone/reviews?page_size=0");
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as Problem).errors!.map((e) => e.path)).toEqual(["page_size"]);
  });
});

describe("review text", () => {
  test("is trimmed and NFC-normalised; the body keeps line breaks; control characters are 422", async () => {
    const { headers } = await userWithToken(t, "customer");
    const ok = await post("basic-phone", headers, {
      rating: 4,
      title: "  Cafe\u0301 ",
      body: "line one\nline two\ttabbed",
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ title: "Café", body: "line one\nline two\ttabbed" });
    const other = await userWithToken(t, "customer");
    for (const json of [
      { rating: 4, title: "bell\u0007" },
      { rating: 4, title: "two\nlines" },
      { rating: 4, body: "escape \u001b[31m" },
    ]) {
      const res = await post("basic-phone", other.headers, json);
      expect(res.status).toBe(422);
    }
  });
});
