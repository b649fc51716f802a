import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { closeCatalogCache } from "../../catalog/test-support.ts";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { seedSearchFixture } from "../test-support.ts";

setDefaultTimeout(60_000);

/** The search fixture through the routes with the in-process engine (the default). */
let t: TestApp;

interface Page {
  items: { slug: string }[];
  total: number;
  match: string;
}

beforeAll(async () => {
  t = await createTestApp({ env: { SEARCH_ENGINE: "memory" } });
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
const suggest = async (q: string) =>
  (await (await t.request(`/api/search/suggest?q=${encodeURIComponent(q)}`)).json()) as {
    text: string;
    slug: string;
  }[];

describe("in-process engine on the search fixture", () => {
  test("the fixture written by SQL reaches the index through the change log", async () => {
    const { until } = await import("../../../platform/testing/until.ts");
    await until(async () => (await search("q=headphones")).total === 2, "the index has the fixture", 10_000);
  });

  test("full text: brand, description, accents, stemming, prefix; archived never", async () => {
    expect((await search("q=sonica")).total).toBe(2);
    expect(slugs(await search("q=stoneware"))).toEqual(["cafe-creme-mug"]);
    expect(slugs(await search("q=creme"))).toEqual(["cafe-creme-mug"]);
    expect(slugs(await search("q=mugs"))).toEqual(["cafe-creme-mug"]);
    expect(slugs(await search("q=wireless%20headph"))).toEqual(["wireless-headphones"]);
    expect((await search("q=vintage")).total).toBe(0);
    expect(slugs(await search("q=studio%20headphones"))[0]).toBe("studio-headphones");
  });

  test("typos: one wrong letter, and one typo among correct words", async () => {
    const p = await search("q=hedphones");
    expect(p.match).toBe("fuzzy");
    expect(slugs(p).sort()).toEqual(["studio-headphones", "wireless-headphones"]);
    expect(slugs(await search("q=wireless%20headphnes"))).toEqual(["wireless-headphones"]);
    expect((await search("q=zzqxv")).total).toBe(0);
  });

  test("websearch operators are answered (by Postgres)", async () => {
    expect(slugs(await search(`q=${encodeURIComponent("headphones -studio")}`))).toEqual([
      "wireless-headphones",
    ]);
  });

  test("suggestions: titles starting with the prefix first, accents fold, typos still suggest", async () => {
    expect((await suggest("head")).map((s) => s.slug).sort()).toEqual([
      "studio-headphones",
      "wireless-headphones",
    ]);
    expect((await suggest("stud"))[0]!.slug).toBe("studio-headphones");
    expect(await suggest("caf")).toEqual([{ text: "Café Crème Mug", slug: "cafe-creme-mug" }]);
    expect((await suggest("hedphones")).map((s) => s.slug)).toContain("wireless-headphones");
  });

  test("the spliced answer is byte for byte what c.json of the objects sends", async () => {
    const { searchEngine } = await import("../engine.ts");
    const query = { q: "headphones", sort: "price_asc", page: 1, page_size: 24 } as const;
    const res = await t.request("/api/search?q=headphones&sort=price_asc");
    expect(res.headers.get("content-type")).toBe("application/json");
    const found = await searchEngine(t.deps).search(query);
    expect(found.items.length).toBe(2);
    expect(await res.text()).toBe(
      JSON.stringify({
        items: found.items,
        page: 1,
        page_size: 24,
        total: found.total,
        sort: "price_asc",
        match: found.match,
        facets: found.facets,
      }),
    );
  });

  test("reindex rebuilds the index and reports it", async () => {
    const admin = await userWithToken(t, "admin");
    const res = await t.request("/api/admin/search/reindex", { method: "POST", headers: admin.headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { engine: string; indexed: number };
    expect(body).toMatchObject({ engine: "memory", indexed: 6 });
  });
});
