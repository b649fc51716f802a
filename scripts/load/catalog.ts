/**
 * Catalog benchmark: category listing and product detail, cached and
 * uncached, on a 100k-product seed.
 *
 *   bun scripts/load/catalog.ts [--products 100000] [--seconds 10] [--concurrency 32]
 *
 * It creates a throwaway database on the test Postgres (TEST_DATABASE_URL /
 * DATABASE_URL / local :5432 / embedded), seeds it with db/seed.ts, starts one
 * app instance in a child process (Redis when one answers, else the in-process
 * cache) and drives it over HTTP. Results are printed as a Markdown table and
 * written to scripts/load/results/catalog.json.
 */
import { mkdir } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createTestDatabase, testRedisUrl } from "../../db/testing.ts";
import { dropListCache } from "./search-bench.ts";
import { run } from "./search-bench-run.ts";

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "100000" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "32" },
    serve: { type: "boolean", default: false },
  },
  strict: true,
});

if (values.serve) await serve();
else await main();

/** Child mode: one app instance with the catalog modules on DATABASE_URL. */
async function serve(): Promise<void> {
  const { createApp } = await import("../../server/app.ts");
  const { createDeps } = await import("../../server/bootstrap.ts");
  const { catalogRoutes } = await import("../../server/catalog/routes.ts");
  const { loadConfig } = await import("../../platform/config.ts");
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: "silent",
    NODE_ENV: "production",
    JWT_SECRET: "x".repeat(32),
  });
  const deps = createDeps(config, "bench");
  const app = createApp(deps, { modules: [catalogRoutes] });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
  console.log(`PORT ${server.port}`);
}

interface Result {
  scenario: string;
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  hit_ratio: number | null;
}

async function main(): Promise<void> {
  const products = Number(values.products);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const db = await createTestDatabase("bench");
  const redisUrl = await testRedisUrl();
  const child = { proc: null as ReturnType<typeof Bun.spawn> | null };
  try {
    console.log(`seeding ${products} products ...`);
    const { seedCatalog } = await import("../../db/seed.ts");
    const seeded = await seedCatalog(db.sql, { products });
    console.log(`seeded in ${seeded.ms} ms (${seeded.variants} variants, ${seeded.reviews} reviews)`);
    // Steady state: autovacuum would have set the visibility map, which index-only counts rely on.
    await db.sql`vacuum analyze`;
    const slugs = (await db.sql<{ slug: string }[]>`select slug from products`).map((r) => r.slug);
    const categories = (await db.sql<{ slug: string }[]>`select slug from categories`).map((r) => r.slug);

    child.proc = Bun.spawn(["bun", import.meta.path, "--serve"], {
      env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: redisUrl ?? "", DATABASE_REPLICA_URLS: "" },
      stdout: "pipe",
      stderr: "inherit",
    });
    const base = `http://127.0.0.1:${await readPort(child.proc.stdout as ReadableStream<Uint8Array>)}`;
    console.log(`app at ${base}, cache: ${redisUrl ? "redis" : "in-process"}`);

    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const sorts = ["newest", "price_asc", "price_desc", "rating"];
    const hotLists = categories.slice(0, 8).map((c) => `/api/catalog/products?category=${c}`);
    const hotProducts = slugs.slice(0, 50).map((s) => `/api/catalog/products/${s}`);
    // Random filters, pages and page sizes: hundreds of thousands of distinct keys, so nearly every request misses.
    const coldList = () =>
      `/api/catalog/products?category=${pick(categories)}&sort=${pick(sorts)}&page=${1 + Math.floor(Math.random() * 20)}&page_size=${10 + Math.floor(Math.random() * 91)}`;
    const coldProduct = () => `/api/catalog/products/${pick(slugs)}`;

    const scenarios: [string, string, () => string][] = [
      ["category listing, cached", "product_list", () => pick(hotLists)],
      ["category listing, uncached", "product_list", coldList],
      ["product detail, cached", "product", () => pick(hotProducts)],
      ["product detail, uncached", "product", coldProduct],
    ];
    const results: Result[] = [];
    for (const [name, cache, next] of scenarios) {
      if (name.endsWith(", cached")) await run(base, next, 2, 1); // warm the hot keys
      const before = await cacheCounts(base, cache);
      const r = await run(base, next, seconds, concurrency);
      const after = await cacheCounts(base, cache);
      const lookups = after.total - before.total;
      results.push({
        scenario: name,
        ...r,
        hit_ratio: lookups ? round((after.hit - before.hit) / lookups, 3) : null,
      });
      console.log(JSON.stringify(results.at(-1)));
    }
    console.log(
      `\n| scenario | req/s | p50 ms | p99 ms | cache hit ratio |\n| --- | ---: | ---: | ---: | ---: |\n${results
        .map((r) => `| ${r.scenario} | ${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.hit_ratio ?? "-"} |`)
        .join("\n")}`,
    );
    await mkdir(`${import.meta.dir}/results`, { recursive: true });
    await Bun.write(
      `${import.meta.dir}/results/catalog.json`,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          products,
          seconds,
          concurrency,
          cache: redisUrl ? "redis" : "memory",
          results,
        },
        null,
        2,
      ),
    );
  } finally {
    child.proc?.kill();
    await child.proc?.exited;
    if (redisUrl) await dropListCache(redisUrl, db.url);
    await db.drop();
  }
}

async function readPort(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("app exited before listening");
    text += new TextDecoder().decode(value);
    const m = /PORT (\d+)/.exec(text);
    if (m) {
      reader.releaseLock();
      return Number(m[1]);
    }
  }
}

function round(n: number, d = 1): number {
  return Math.round(n * 10 ** d) / 10 ** d;
}

async function cacheCounts(base: string, cache: string): Promise<{ hit: number; total: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let hit = 0;
  let total = 0;
  for (const m of text.matchAll(/^cache_requests_total\{cache="([^"]+)",result="([^"]+)"\} (\d+)/gm)) {
    if (m[1] !== cache) continue;
    total += Number(m[3]);
    if (m[2] === "hit") hit += Number(m[3]);
  }
  return { hit, total };
}
