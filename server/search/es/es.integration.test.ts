import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../../db/testing.ts";
import { createLogger } from "../../../platform/logger.ts";
import { seedSearchFixture } from "../test-support.ts";
import type { SearchEngine } from "../types.ts";
import { createElasticsearchEngine } from "./engine.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

/**
 * Against a real cluster, only when ELASTICSEARCH_URL is set. Uses its own
 * alias (never `products`) and deletes every index it created.
 */
const url = process.env.ELASTICSEARCH_URL;

describe.skipIf(!url)("Elasticsearch engine (integration)", () => {
  const alias = `products_it_${crypto.randomUUID().slice(0, 8)}`;
  let d: TestDatabase;
  let engine: SearchEngine;
  const es = (method: string, path: string) => fetch(`${url!.replace(/\/+$/, "")}${path}`, { method });

  beforeAll(async () => {
    d = await createTestDatabase("search_es_it");
    await seedSearchFixture(d.sql);
    engine = createElasticsearchEngine({ url: url!, db: d.db, logger: createLogger("silent"), alias });
  });

  afterAll(async () => {
    const res = await es("GET", `/_alias/${alias}`);
    if (res.ok)
      for (const index of Object.keys((await res.json()) as Record<string, unknown>))
        await es("DELETE", `/${index}`);
    await d.drop();
  });

  test("reindex builds the index behind the alias; a second one swaps it and drops the first", async () => {
    const first = await engine.reindex();
    expect(first.indexed).toBe(6);
    const second = await engine.reindex();
    expect(second.index).not.toBe(first.index);
    expect((await es("HEAD", `/${first.index}`)).status).toBe(404);
    const targets = Object.keys(
      (await (await es("GET", `/_alias/${alias}`)).json()) as Record<string, unknown>,
    );
    expect(targets).toEqual([second.index!]);
  });

  test("full text, typos, prefixes, filters and facets", async () => {
    const base = { sort: "relevance" as const, page: 1, page_size: 24 };
    const exact = await engine.search({ ...base, q: "headphones" });
    expect(exact.items.map((i) => i.slug).sort()).toEqual(["studio-headphones", "wireless-headphones"]);
    expect(exact.facets.brands).toEqual([{ value: "Sonica", count: 2 }]);
    expect((await engine.search({ ...base, q: "hedphones" })).total).toBe(2);
    expect((await engine.search({ ...base, q: "wireless headph" })).items[0]?.slug).toBe(
      "wireless-headphones",
    );
    expect((await engine.search({ ...base, q: "cafe" })).items.map((i) => i.slug)).toEqual([
      "cafe-creme-mug",
    ]);
    const electronics = await engine.search({ ...base, sort: "price_asc", category: "electronics" });
    expect(electronics.total).toBe(4);
    expect(electronics.facets.categories).toContainEqual({ slug: "phones", count: 2 });
    expect(await engine.suggest("wirel")).toEqual([
      { text: "Wireless Headphones", slug: "wireless-headphones" },
    ]);
  });

  test("incremental updates reach the index", async () => {
    const [row] = await d.sql<{ id: string }[]>`
      update products set title = 'Desk Lantern' where slug = 'desk-lamp' returning id`;
    await engine.indexProducts([Number(row!.id)]);
    await es("POST", `/${alias}/_refresh`);
    const found = await engine.search({ q: "lantern", sort: "relevance", page: 1, page_size: 24 });
    expect(found.items.map((i) => i.slug)).toEqual(["desk-lamp"]);
    await engine.removeProducts([Number(row!.id)]);
    await es("POST", `/${alias}/_refresh`);
    expect((await engine.search({ q: "lantern", sort: "relevance", page: 1, page_size: 24 })).total).toBe(0);
  });
});
