import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { generateProducts } from "../../../db/seed/generate.ts";
import type { ProductSpec } from "../../../db/seed/model.ts";
import { seedCatalog } from "../../../db/seed.ts";
import { closeCatalogCache } from "../../catalog/test-support.ts";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { isHit, QUERY_CLASSES, RELEVANCE_QUERIES, relevantSlugs, TOP_K } from "./judge.ts";

setDefaultTimeout(120_000);

/**
 * The labelled relevance set (set.json) through the public search API of an
 * app on a seeded demo catalog, with whatever engine is the default. The
 * catalog is the first CATALOG products of the demo sequence (the planted
 * ones included); what is relevant is computed from the same generator.
 */
const CATALOG = 10_000;
/** Share of queries that must be hits. */
const REQUIRED_HIT_RATE = 0.9;

let t: TestApp;
let products: ProductSpec[];

beforeAll(async () => {
  t = await createTestApp();
  await seedCatalog(t.sql, { products: CATALOG });
  products = generateProducts({ count: CATALOG });
  // The seed writes rows directly; an engine with its own index learns of them by a rebuild.
  const admin = await userWithToken(t, "admin");
  const res = await t.request("/api/admin/search/reindex", { method: "POST", headers: admin.headers });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

test(`at least ${REQUIRED_HIT_RATE * 100}% of the labelled queries find their products in the top ${TOP_K}`, async () => {
  const misses: string[] = [];
  const byClass = new Map<string, { hits: number; total: number }>(
    QUERY_CLASSES.map((c) => [c, { hits: 0, total: 0 }]),
  );
  for (const query of RELEVANCE_QUERIES) {
    const relevant = relevantSlugs(query, products);
    expect(relevant.size).toBeGreaterThan(0);
    const res = await t.request(`/api/search?q=${encodeURIComponent(query.q)}&page_size=${TOP_K}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { slug: string; title: string }[]; match: string };
    const hit = isHit(
      body.items.map((i) => i.slug),
      relevant,
    );
    const tally = byClass.get(query.class)!;
    tally.total++;
    if (hit) tally.hits++;
    else
      misses.push(
        `  "${query.q}" (${query.class}, ${relevant.size} relevant, ${body.match}): ${
          body.items.map((i) => `${relevant.has(i.slug) ? "+" : "-"} ${i.title}`).join(" | ") || "no results"
        }`,
      );
  }
  const hits = RELEVANCE_QUERIES.length - misses.length;
  const rate = hits / RELEVANCE_QUERIES.length;
  console.log(
    `relevance: ${hits}/${RELEVANCE_QUERIES.length} hits (${(rate * 100).toFixed(1)}%) on ${CATALOG} products; by class: ${[
      ...byClass,
    ]
      .map(([c, s]) => `${c} ${s.hits}/${s.total}`)
      .join(", ")}${misses.length ? `\nmisses:\n${misses.join("\n")}` : ""}`,
  );
  expect(rate).toBeGreaterThanOrEqual(REQUIRED_HIT_RATE);
});
