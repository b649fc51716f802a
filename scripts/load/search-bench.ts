/**
 * Search and product-list benchmark on a 100k-product seed, through the
 * proxy (rate limits off), one app instance per engine, side by side:
 * `postgres` (full text, the previous default) and `memory` (the in-process
 * index). Used by scripts/load/search.ts and scripts/load/list.ts.
 *
 *   bun run load search -- [--products 100000] [--seconds 5] [--concurrency 32]
 *   bun run load list   -- (same flags)
 *   either with [--database-url URL] (a seeded database, used as it is) [--engines memory] (default postgres,memory)
 *
 * Query classes are built from the seeded catalog's own words (any seed
 * works): broad = the most frequent title words, narrow = rare ones,
 * multi-word = two frequent words, misspelt = a frequent word with one
 * letter dropped or swapped, filtered = a broad word with random filters
 * and sorts (24 a page, the API's default), mixed = any of those, suggest =
 * 1–4 letter prefixes. The list: random category, brand, price range, stock,
 * sort and page, at 24 a page and at a random 10–100 (almost every request
 * misses the cache). RSS per instance is read from /proc after the run.
 */
import { mkdir } from "node:fs/promises";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createTestDatabase, testRedisUrl } from "../../db/testing.ts";
import { deleteKeysMatching } from "../../platform/redis.ts";
import { proxyRuntimeEnv } from "../../proxy/runtime-env.ts";
import {
  type ClassResult,
  haveWrk,
  type Instance,
  procCpuMs,
  run,
  runWrk,
  startInstance,
  startProxy,
  stop,
} from "./search-bench-run.ts";

const ENGINES = ["postgres", "memory"] as const;
type Engine = (typeof ENGINES)[number];

export async function benchmark(mode: "search" | "list"): Promise<void> {
  const { values } = parseArgs({
    options: {
      products: { type: "string", default: "100000" },
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "32" },
      "port-base": { type: "string", default: process.env.BENCH_PORT_BASE ?? "25100" },
      /** An already seeded database to use as it is (nothing created, seeded or dropped). */
      "database-url": { type: "string" },
      /** Which engines to run, side by side in this order (default both). */
      engines: { type: "string", default: ENGINES.join(",") },
      /** The load generator: wrk when installed (far cheaper per request on 2 shared cores), else fetch. */
      client: { type: "string", default: haveWrk() ? "wrk" : "fetch" },
    },
    strict: true,
  });
  const engines = values.engines.split(",").map((e) => {
    if (!(ENGINES as readonly string[]).includes(e))
      throw new Error(`--engines: ${e} is not one of ${ENGINES.join(", ")}`);
    return e as Engine;
  });
  if (values.client !== "wrk" && values.client !== "fetch") throw new Error("--client: wrk or fetch");
  const drive = values.client === "wrk" ? runWrk : run;
  console.log(`load generator: ${values.client}`);
  const products = Number(values.products);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  let port = Number(values["port-base"]);
  const given = values["database-url"];
  const db = given ? existingDatabase(given) : await createTestDatabase("bench");
  const redisUrl = await testRedisUrl();
  const started: Instance[] = [];
  try {
    // Entries of an earlier run on the same database would turn misses into hits.
    if (given && redisUrl) await dropListCache(redisUrl, db.url);
    if (!given) {
      console.log(`seeding ${products} products ...`);
      const { seedCatalog } = await import("../../db/seed.ts");
      const seeded = await seedCatalog(db.sql, { products });
      console.log(`seeded in ${seeded.ms} ms`);
      await db.sql`vacuum analyze`;
    }
    const corpus = await readCorpus(db.sql);
    const classes = mode === "search" ? searchClasses(corpus) : listClasses(corpus);
    const results: Record<Engine, (ClassResult & CpuPerRequest)[]> = { postgres: [], memory: [] };
    const rss: Record<
      Engine,
      { rss_mb: number; peak_mb: number; ready_ms: number | null; first_ms: number }
    > = {} as never;
    for (const engine of engines) {
      const app = await startInstance(
        {
          DATABASE_URL: db.url,
          DATABASE_REPLICA_URLS: "",
          REDIS_URL: redisUrl ?? "",
          SEARCH_ENGINE: engine,
          PORT: String(port++),
        },
        engine === "memory",
      );
      started.push(app);
      const proxy = await startProxy(
        {
          PROXY_PORT: String(port++),
          PROXY_ADMIN_PORT: String(port++),
          PROXY_HOST: "127.0.0.1",
          PROXY_UPSTREAMS: `127.0.0.1:${app.port}`,
          PROXY_RATE_LIMIT: "off",
          PROXY_ACCESS_LOG: "off",
          PROXY_MAX_CONNS_PER_IP: "0",
          LOG_LEVEL: "warn",
          ...proxyRuntimeEnv,
        },
        port - 2,
      );
      started.push(proxy);
      console.log(
        `${engine}: first search answered ${app.firstAnswerMs} ms after start; index ready ${app.readyMs ?? "-"} ms`,
      );
      const base = `http://127.0.0.1:${proxy.port}`;
      for (const [name, next] of classes) {
        await drive(base, next, 1, concurrency); // warm-up
        const cpu0 = [procCpuMs(app.proc.pid), procCpuMs(proxy.proc.pid)] as const;
        const r = await drive(base, next, seconds, concurrency);
        const cpu = cpuPerRequest(r.requests, cpu0, [procCpuMs(app.proc.pid), procCpuMs(proxy.proc.pid)]);
        results[engine].push({ name, ...r, ...cpu });
        console.log(engine, name, JSON.stringify(r));
      }
      rss[engine] = { ...app.memory(), ready_ms: app.readyMs, first_ms: app.firstAnswerMs };
      await stop(proxy);
      await stop(app);
    }
    const table = [
      `| class | ${engines.map((e) => `${e} req/s | p50 ms | p99 ms | app CPU µs/req`).join(" | ")} |`,
      `| --- |${" ---: | ---: | ---: | ---: |".repeat(engines.length)}`,
      ...classes.map(([name], i) => {
        const cells = engines.map((e) => {
          const r = results[e][i]!;
          return `${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.app_cpu_us}`;
        });
        return `| ${name} | ${cells.join(" | ")} |`;
      }),
    ].join("\n");
    const memLine = engines
      .map(
        (e) =>
          `${e}: RSS ${rss[e].rss_mb} MB (peak ${rss[e].peak_mb} MB), first answer ${rss[e].first_ms} ms, index ready ${rss[e].ready_ms ?? "-"} ms`,
      )
      .join("; ");
    console.log(`\n${table}\n\n${memLine}`);
    await mkdir(`${import.meta.dir}/results`, { recursive: true });
    await Bun.write(
      `${import.meta.dir}/results/${mode}.json`,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          products,
          seconds,
          concurrency,
          via: "proxy",
          client: values.client,
          results,
          instances: rss,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const p of started.reverse()) await stop(p);
    await db.drop();
    if (redisUrl) await dropListCache(redisUrl, db.url);
  }
}

/** CPU time (user + system) per answered request, µs: what a request costs, whatever the machine's load. */
interface CpuPerRequest {
  app_cpu_us: number;
  proxy_cpu_us: number;
}

function cpuPerRequest(
  requests: number,
  before: readonly [number, number],
  after: readonly [number, number],
): CpuPerRequest {
  const per = (ms: number) => (requests ? Math.round((ms * 1000) / requests) : 0);
  return { app_cpu_us: per(after[0] - before[0]), proxy_cpu_us: per(after[1] - before[1]) };
}

/** A database given on the command line: used as it is, never dropped. */
export function existingDatabase(url: string): { url: string; sql: postgres.Sql; drop(): Promise<void> } {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return { url, sql, drop: () => sql.end() };
}

/** Removes the cache entries the run left in Redis (keys are prefixed by the database name). */
export async function dropListCache(redisUrl: string, dbUrl: string): Promise<void> {
  const { default: Redis } = await import("ioredis");
  const redis = new Redis(redisUrl);
  await deleteKeysMatching(redis, `cat:${new URL(dbUrl).pathname.slice(1)}:*`);
  redis.disconnect();
}

/** Title words of a seeded catalog, by frequency, and its categories and brands. */
export interface Corpus {
  broad: string[];
  narrow: string[];
  categories: string[];
  brands: string[];
}

/** Words of the seeded titles by frequency (digits-only words left out: they depend on a title format). */
export async function readCorpus(sql: postgres.Sql): Promise<Corpus> {
  const rows = await sql<
    { title: string }[]
  >`select title from products where status = 'active' order by random() limit 5000`;
  const freq = new Map<string, number>();
  for (const r of rows)
    for (const w of r.title.toLowerCase().split(/[^\p{L}\p{N}]+/u))
      if (w.length > 2 && !/^\d+$/.test(w)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const byFreq = [...freq].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const categories = (await sql<{ slug: string }[]>`select slug from categories`).map((r) => r.slug);
  const brands = (await sql<{ brand: string }[]>`select distinct brand from products where brand <> ''`).map(
    (r) => r.brand,
  );
  const narrow = [...freq].filter(([, n]) => n <= 2).map(([w]) => w);
  return {
    broad: byFreq.slice(0, 30),
    narrow: narrow.length ? narrow : byFreq.slice(-30),
    categories,
    brands,
  };
}

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

function misspell(w: string): string {
  const i = 1 + Math.floor(Math.random() * (w.length - 2));
  return Math.random() < 0.5
    ? w.slice(0, i) + w.slice(i + 1)
    : `${w.slice(0, i)}${w[i + 1]}${w[i]}${w.slice(i + 2)}`;
}

function filters(c: Corpus, pageSize?: number): string {
  const parts: string[] = [];
  if (Math.random() < 0.5) parts.push(`category=${pick(c.categories)}`);
  if (Math.random() < 0.2) parts.push(`brand=${encodeURIComponent(pick(c.brands))}`);
  if (Math.random() < 0.3) {
    const min = Math.floor(Math.random() * 20_000);
    parts.push(`min_price=${min}&max_price=${min + Math.floor(Math.random() * 50_000)}`);
  }
  if (Math.random() < 0.3) parts.push(`in_stock=${Math.random() < 0.7}`);
  parts.push(`sort=${pick(["newest", "price_asc", "price_desc", "rating"])}`);
  const size = pageSize ?? 10 + Math.floor(Math.random() * 91);
  parts.push(`page=${1 + Math.floor(Math.random() * 10)}&page_size=${size}`);
  return parts.join("&");
}

type Classes = [string, () => string][];

function searchClasses(c: Corpus): Classes {
  const q = (text: string) => `/api/search?q=${encodeURIComponent(text)}`;
  return [
    ["broad one word", () => q(pick(c.broad))],
    ["narrow word", () => q(pick(c.narrow))],
    ["multi-word", () => q(`${pick(c.broad)} ${pick(c.broad)}`)],
    ["misspelt", () => q(misspell(pick(c.broad)))],
    // 24: the API's default page size, as a search page asks for (the list benchmark also runs 10-100).
    ["broad + filters, sorts", () => `${q(pick(c.broad))}&${filters(c, 24)}`],
    [
      "mixed",
      () =>
        pick([
          () => q(pick(c.broad)),
          () => q(pick(c.narrow)),
          () => q(`${pick(c.broad)} ${pick(c.broad)}`),
          () => q(misspell(pick(c.broad))),
          () => `${q(pick(c.broad))}&${filters(c, 24)}`,
        ])(),
    ],
    [
      "suggest",
      () =>
        `/api/search/suggest?q=${encodeURIComponent(pick(c.broad).slice(0, 1 + Math.floor(Math.random() * 4)))}`,
    ],
  ];
}

function listClasses(c: Corpus): Classes {
  return [
    // 24: the API's default page size (the storefront asks for 12).
    ["uncached list, random filters/sorts/pages, 24 a page", () => `/api/catalog/products?${filters(c, 24)}`],
    ["uncached list, random filters/sorts/pages, 10-100 a page", () => `/api/catalog/products?${filters(c)}`],
  ];
}
