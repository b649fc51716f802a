import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../../db/testing.ts";
import { createLogger, type Logger } from "../../../platform/logger.ts";
import { withFallback } from "../fallback.ts";
import { createPostgresEngine } from "../pg/engine.ts";
import { seedSearchFixture } from "../test-support.ts";
import type { SearchQuery } from "../types.ts";
import { createElasticsearchEngine } from "./engine.ts";
import { INDEX_DEFINITION } from "./mapping.ts";
import { type RecordedRequest, type Reply, recordingFetch } from "./recording-fetch.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

let d: TestDatabase;
const ids: Record<string, number> = {};
const silent = createLogger("silent");

beforeAll(async () => {
  d = await createTestDatabase("search_es");
  await seedSearchFixture(d.sql);
  for (const r of await d.sql<{ id: string; slug: string }[]>`select id, slug from products`) {
    ids[r.slug] = Number(r.id);
  }
});

afterAll(async () => {
  await d.drop();
});

function engineWith(reply: (req: RecordedRequest) => Reply, extra: { batchSize?: number } = {}) {
  const rec = recordingFetch(reply);
  const engine = createElasticsearchEngine({
    url: "http://es.test:9200/",
    db: d.db,
    logger: silent,
    fetch: rec.fetch,
    now: () => 1_700_000_000_000,
    ...extra,
  });
  return { engine, requests: rec.requests };
}

const AGGS = {
  categories: { terms: { field: "categories", size: 500 } },
  brands: {
    terms: { field: "brand.keyword", size: 50, exclude: [""], order: [{ _count: "desc" }, { _key: "asc" }] },
  },
  price: {
    range: {
      field: "min_price",
      ranges: [
        { from: 0, to: 1000 },
        { from: 1000, to: 2500 },
        { from: 2500, to: 5000 },
        { from: 5000, to: 10000 },
        { from: 10000, to: 25000 },
        { from: 25000, to: 50000 },
        { from: 50000, to: 100000 },
        { from: 100000 },
      ],
    },
  },
  rating: {
    filters: {
      filters: {
        "4": { range: { rating: { gte: 4 } } },
        "3": { range: { rating: { gte: 3 } } },
        "2": { range: { rating: { gte: 2 } } },
        "1": { range: { rating: { gte: 1 } } },
      },
    },
  },
};

describe("search request", () => {
  const query: SearchQuery = {
    q: "hedphones",
    category: "audio",
    brand: "Sonica",
    min_price: 100,
    max_price: 50000,
    in_stock: true,
    min_rating: 3,
    sort: "price_asc",
    page: 2,
    page_size: 10,
  };

  test("sends the text, every filter, the sort, paging and facet aggregations", async () => {
    const { engine, requests } = engineWith(() => ({
      status: 200,
      body: { hits: { total: { value: 0 }, hits: [] } },
    }));
    await engine.search(query);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe("POST");
    expect(requests[0]!.path).toBe("/products/_search");
    expect(requests[0]!.contentType).toBe("application/json");
    expect(requests[0]!.body).toEqual({
      from: 10,
      size: 10,
      track_total_hits: true,
      _source: false,
      query: {
        bool: {
          must: [
            {
              bool: {
                should: [
                  {
                    multi_match: {
                      query: "hedphones",
                      fields: ["title^3", "brand^2", "description"],
                      type: "best_fields",
                      fuzziness: "AUTO",
                      prefix_length: 1,
                      operator: "and",
                    },
                  },
                  {
                    multi_match: {
                      query: "hedphones",
                      type: "bool_prefix",
                      fields: ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
                      operator: "and",
                    },
                  },
                ],
                minimum_should_match: 1,
              },
            },
          ],
          filter: [
            { term: { categories: "audio" } },
            { term: { "brand.keyword": "Sonica" } },
            { range: { min_price: { gte: 100, lte: 50000 } } },
            { term: { in_stock: true } },
            { range: { rating: { gte: 3 } } },
          ],
        },
      },
      sort: [{ min_price: "asc" }, { id: "asc" }],
      aggs: AGGS,
    });
  });

  test("without text: no scoring clause, filters only; each sort maps to its fields", async () => {
    const { engine, requests } = engineWith(() => ({
      status: 200,
      body: { hits: { total: { value: 0 }, hits: [] } },
    }));
    const base = { page: 1, page_size: 24 };
    await engine.search({ ...base, sort: "newest", max_price: 999 });
    await engine.search({ ...base, sort: "price_desc" });
    await engine.search({ ...base, sort: "rating" });
    await engine.search({ ...base, q: "x", sort: "relevance" });
    const bodies = requests.map(
      (r) => r.body as { query: unknown; sort: unknown; from: number; size: number },
    );
    expect(bodies[0]!.query).toEqual({ bool: { filter: [{ range: { min_price: { lte: 999 } } }] } });
    expect(bodies[0]!.sort).toEqual([{ created_at: "desc" }, { id: "desc" }]);
    expect(bodies[1]!.sort).toEqual([{ min_price: "desc" }, { id: "desc" }]);
    expect(bodies[2]!.sort).toEqual([{ rating: "desc" }, { rating_count: "desc" }, { id: "desc" }]);
    expect(bodies[3]!.sort).toEqual(["_score", { id: "desc" }]);
  });

  test("pages beyond the 10,000-hit window ask for no hits but keep total and facets", async () => {
    const { engine, requests } = engineWith(() => ({
      status: 200,
      body: { hits: { total: { value: 50_000 }, hits: [] } },
    }));
    const r = await engine.search({ sort: "newest", page: 101, page_size: 100 });
    expect(r.total).toBe(50_000);
    expect(requests[0]!.body).toMatchObject({ from: 0, size: 0 });
    await engine.search({ sort: "newest", page: 100, page_size: 100 });
    expect(requests[1]!.body).toMatchObject({ from: 9900, size: 100 });
  });

  test("hits become list items read from Postgres, in Elasticsearch's order; facets are parsed", async () => {
    const { engine } = engineWith(() => ({
      status: 200,
      body: {
        hits: {
          total: { value: 3 },
          hits: [
            { _id: String(ids["studio-headphones"]) },
            { _id: String(ids["wireless-headphones"]) },
            // Archived since it was indexed: skipped rather than shown.
            { _id: String(ids["vintage-headphones"]) },
          ],
        },
        aggregations: {
          categories: {
            buckets: [
              { key: "audio", doc_count: 2 },
              { key: "electronics", doc_count: 2 },
            ],
          },
          brands: { buckets: [{ key: "Sonica", doc_count: 2 }] },
          price: {
            buckets: [
              { from: 0, to: 1000, doc_count: 0 },
              { from: 1000, to: 2500, doc_count: 0 },
              { from: 2500, to: 5000, doc_count: 0 },
              { from: 5000, to: 10000, doc_count: 0 },
              { from: 10000, to: 25000, doc_count: 1 },
              { from: 25000, to: 50000, doc_count: 1 },
              { from: 50000, to: 100000, doc_count: 0 },
              { from: 100000, doc_count: 0 },
            ],
          },
          rating: {
            buckets: {
              "4": { doc_count: 1 },
              "3": { doc_count: 2 },
              "2": { doc_count: 2 },
              "1": { doc_count: 2 },
            },
          },
        },
      },
    }));
    const r = await engine.search({ q: "headphones", sort: "relevance", page: 1, page_size: 24 });
    expect(r.items.map((i) => i.slug)).toEqual(["studio-headphones", "wireless-headphones"]);
    expect(r.items[1]).toMatchObject({
      title: "Wireless Headphones",
      price: { amount: 19900, currency: "USD" },
    });
    expect(r.total).toBe(3);
    expect(r.match).toBe("full_text");
    expect(r.facets).toEqual({
      categories: [
        { slug: "audio", count: 2 },
        { slug: "electronics", count: 2 },
      ],
      brands: [{ value: "Sonica", count: 2 }],
      price: [
        { from: 10000, to: 25000, count: 1 },
        { from: 25000, to: 50000, count: 1 },
      ],
      rating: [
        { min: 4, count: 1 },
        { min: 3, count: 2 },
        { min: 2, count: 2 },
        { min: 1, count: 2 },
      ],
    });
  });
});

test("suggest sends an as-you-type query and returns title + slug", async () => {
  const { engine, requests } = engineWith(() => ({
    status: 200,
    body: { hits: { hits: [{ _source: { title: "Wireless Headphones", slug: "wireless-headphones" } }] } },
  }));
  expect(await engine.suggest("wirel")).toEqual([
    { text: "Wireless Headphones", slug: "wireless-headphones" },
  ]);
  expect(requests[0]!.path).toBe("/products/_search");
  expect(requests[0]!.body).toEqual({
    size: 10,
    _source: ["title", "slug"],
    query: {
      multi_match: {
        query: "wirel",
        type: "bool_prefix",
        fields: ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"],
        fuzziness: "AUTO",
      },
    },
    sort: ["_score", { rating_count: "desc" }, { id: "desc" }],
  });
});

describe("incremental indexing", () => {
  test("indexes active products and deletes archived or missing ones, through the alias", async () => {
    const { engine, requests } = engineWith(() => ({ status: 200, body: { errors: false, items: [] } }));
    const [row] = await d.sql<{ created_at: Date }[]>`
      select created_at from products where slug = 'wireless-headphones'`;
    await engine.indexProducts([ids["wireless-headphones"]!, ids["vintage-headphones"]!, 999_999]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe("POST");
    expect(requests[0]!.path).toBe("/_bulk?require_alias=true");
    expect(requests[0]!.contentType).toBe("application/x-ndjson");
    expect(requests[0]!.body).toEqual([
      { index: { _index: "products", _id: String(ids["wireless-headphones"]) } },
      {
        id: ids["wireless-headphones"],
        slug: "wireless-headphones",
        title: "Wireless Headphones",
        brand: "Sonica",
        description: "Noise cancelling over-ear headphones with a long battery life",
        categories: ["audio", "electronics"],
        min_price: 19900,
        in_stock: true,
        rating: 4.5,
        rating_count: 2,
        created_at: row!.created_at.toISOString(),
      },
      { delete: { _index: "products", _id: String(ids["vintage-headphones"]) } },
      { delete: { _index: "products", _id: "999999" } },
    ]);
  });

  test("removeProducts deletes; nothing to send sends nothing", async () => {
    const { engine, requests } = engineWith(() => ({ status: 200, body: { errors: false, items: [] } }));
    await engine.removeProducts([7]);
    await engine.indexProducts([]);
    await engine.removeProducts([]);
    expect(requests.map((r) => r.body)).toEqual([[{ delete: { _index: "products", _id: "7" } }]]);
  });

  test("a missing alias (never reindexed) is not an error; other item failures are", async () => {
    const missing = engineWith(() => ({
      status: 200,
      body: {
        errors: true,
        items: [{ delete: { status: 404, error: { type: "index_not_found_exception" } } }],
      },
    }));
    await missing.engine.removeProducts([1]);
    const failing = engineWith(() => ({
      status: 200,
      body: {
        errors: true,
        items: [{ index: { status: 400, error: { type: "mapper_parsing_exception" } } }],
      },
    }));
    await expect(failing.engine.indexProducts([ids["pixel-phone"]!])).rejects.toThrow(/bulk/);
  });
});

describe("reindex", () => {
  test("builds a new index, swaps the alias atomically, then drops the old index", async () => {
    // Nothing counts as written during the reindex, so there is no catch-up pass.
    await d.sql`update products set updated_at = now() - interval '1 hour'`;
    const { engine, requests } = engineWith(
      (req) => {
        if (req.method === "GET" && req.path === "/_alias/products")
          return { status: 200, body: { products_v1: { aliases: { products: {} } } } };
        if (req.path.startsWith("/_bulk")) return { status: 200, body: { errors: false, items: [] } };
        return { status: 200, body: { acknowledged: true } };
      },
      { batchSize: 4 },
    );
    const result = await engine.reindex();
    expect(result).toMatchObject({ engine: "elasticsearch", indexed: 6, index: "products_v1700000000000" });
    const index = "products_v1700000000000";
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /${index}`,
      "POST /_bulk",
      "POST /_bulk",
      `POST /${index}/_refresh`,
      "GET /_alias/products",
      "POST /_aliases",
      "DELETE /products_v1",
    ]);
    expect(requests[0]!.body).toEqual(JSON.parse(JSON.stringify(INDEX_DEFINITION)));
    const bulk = [...(requests[1]!.body as unknown[]), ...(requests[2]!.body as unknown[])];
    expect(bulk).toHaveLength(12);
    expect(bulk.filter((_, i) => i % 2 === 0)).toEqual(
      Object.entries(ids)
        .filter(([slug]) => slug !== "vintage-headphones")
        .map(([, id]) => id)
        .sort((a, b) => a - b)
        .map((id) => ({ index: { _index: index, _id: String(id) } })),
    );
    expect(requests[5]!.body).toEqual({
      actions: [
        { remove: { index: "products_v1", alias: "products" } },
        { add: { index, alias: "products" } },
      ],
    });
  });

  test("products written during the rebuild are indexed again after the swap", async () => {
    await d.sql`update products set updated_at = now() - interval '1 hour'`;
    await d.sql`update products set updated_at = now() + interval '1 minute' where slug = 'desk-lamp'`;
    const { engine, requests } = engineWith((req) => {
      if (req.method === "GET") return { status: 404, body: { error: "alias missing" } };
      if (req.path.startsWith("/_bulk")) return { status: 200, body: { errors: false, items: [] } };
      return { status: 200, body: { acknowledged: true } };
    });
    await engine.reindex();
    const afterSwap = requests.slice(requests.findIndex((r) => r.path === "/_aliases") + 1);
    expect(afterSwap.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /_bulk?require_alias=true"]);
    expect((afterSwap[0]!.body as unknown[])[0]).toEqual({
      index: { _index: "products", _id: String(ids["desk-lamp"]) },
    });
    // No previous index: the alias is simply added.
    expect(requests.find((r) => r.path === "/_aliases")!.body).toEqual({
      actions: [{ add: { index: "products_v1700000000000", alias: "products" } }],
    });
  });

  test("a failed load deletes the new index and leaves the alias alone", async () => {
    const { engine, requests } = engineWith((req) => {
      if (req.path.startsWith("/_bulk")) return { status: 503, body: { error: "unavailable" } };
      return { status: 200, body: { acknowledged: true } };
    });
    await expect(engine.reindex()).rejects.toThrow(/503/);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /products_v1700000000000",
      "POST /_bulk",
      "DELETE /products_v1700000000000",
    ]);
  });
});

describe("Elasticsearch down → Postgres search", () => {
  test("reads fall back to Postgres, logging once per outage", async () => {
    let up = false;
    const { engine } = engineWith(() =>
      up ? { status: 200, body: { hits: { hits: [] } } } : new TypeError("fetch failed: ECONNREFUSED"),
    );
    const logged: string[] = [];
    const logger: Logger = {
      debug() {},
      info: (msg) => logged.push(`info ${msg}`),
      warn: (msg) => logged.push(`warn ${msg}`),
      error() {},
      child: () => logger,
    };
    const search = withFallback(engine, createPostgresEngine(d.db), logger);
    const first = await search.search({ q: "headphones", sort: "relevance", page: 1, page_size: 24 });
    expect(first.items.map((i) => i.slug).sort()).toEqual(["studio-headphones", "wireless-headphones"]);
    expect((await search.suggest("wirel")).map((s) => s.slug)).toEqual(["wireless-headphones"]);
    expect(logged).toEqual(["warn elasticsearch search failed; answering from postgres until it recovers"]);
    up = true;
    expect(await search.suggest("wirel")).toEqual([]);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toBe("info elasticsearch search answers again");
  });

  test("writes are not redirected: the consumer must retry them", async () => {
    const { engine } = engineWith(() => new TypeError("fetch failed"));
    const search = withFallback(engine, createPostgresEngine(d.db), silent);
    await expect(search.indexProducts([ids["pixel-phone"]!])).rejects.toThrow();
  });
});
