import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { closeCatalogCache } from "../../catalog/test-support.ts";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import { seedSearchFixture } from "../test-support.ts";

// Real services and processes: more than bun's 5 s default (the preload's default reaches only the first file).
setDefaultTimeout(60_000);

/**
 * Elasticsearch that accepts connections and never answers (a local HTTP
 * server pointed to as ELASTICSEARCH_URL): reads time out and are answered
 * by Postgres; a reindex times out as a 503 problem, and a second reindex
 * while the first is running is a 409.
 */
const received: string[] = [];
const hung = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    received.push(`${req.method} ${new URL(req.url).pathname}`);
    return new Promise<Response>(() => {}); // never answers
  },
});
let t: TestApp;
let admin: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ env: { ELASTICSEARCH_URL: `http://127.0.0.1:${hung.port}` } });
  await seedSearchFixture(t.database.sql);
  admin = (await userWithToken(t, "admin")).headers;
});
afterAll(async () => {
  hung.stop(true);
  await closeCatalogCache(t);
  await t.close();
});

test("a search Elasticsearch never answers is answered by Postgres after the time-out", async () => {
  const before = received.length;
  const res = await t.request("/api/search?q=headphones");
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { slug: string }[]; total: number };
  expect(body.items.map((i) => i.slug).sort()).toEqual(["studio-headphones", "wireless-headphones"]);
  // Elasticsearch was asked first (the fallback is not a bypass).
  expect(received.slice(before).some((r) => r.endsWith("/_search"))).toBe(true);

  const suggest = await t.request("/api/search/suggest?q=wire");
  expect(suggest.status).toBe(200);
  expect(await suggest.json()).toEqual([{ text: "Wireless Headphones", slug: "wireless-headphones" }]);
});

test("reindex: 409 while one is running; the running one ends in a 503 problem when Elasticsearch times out", async () => {
  const before = received.length;
  const first = t.request("/api/admin/search/reindex", { method: "POST", headers: admin });
  // Barrier: the first reindex has reached Elasticsearch (its new index is being created).
  const deadline = Date.now() + 20_000;
  while (!received.slice(before).some((r) => r.startsWith("PUT /products_v"))) {
    if (Date.now() > deadline) throw new Error("the reindex never reached Elasticsearch");
    await Bun.sleep(10);
  }
  const second = await t.request("/api/admin/search/reindex", { method: "POST", headers: admin });
  expect(second.status).toBe(409);
  expect(((await second.json()) as { type: string }).type).toContain("reindex-in-progress");

  const res = await first;
  expect(res.status).toBe(503);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(((await res.json()) as { type: string }).type).toContain("search-unavailable");

  // Once the failed run is over, another may start (and fails the same way, not 409).
  expect((await t.request("/api/admin/search/reindex", { method: "POST", headers: admin })).status).toBe(503);
});
