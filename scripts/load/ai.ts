/**
 * Recommendations and semantic search on a 100k-product catalog, through the
 * proxy (rate limits off), one app instance, 32 closed-loop clients:
 *
 *   bun run load ai -- [--products 100000] [--seconds 5] [--concurrency 32]
 *                      [--orders 60000] [--customers 20000] [--database-url URL]
 *                      [--seed-recommendations] [--no-recall] [--port-base 32100]
 *                      [--only <part of a class name>]
 *
 * Without --database-url a database is created, seeded (catalog, then
 * generated orders into the recommender's tables: scripts/load/ai-seed.ts)
 * and dropped afterwards. A given database is used as it is: nothing is
 * written to it unless --seed-recommendations asks to write the orders into
 * it (the app started on it does its routine maintenance, e.g. pruning the
 * search change log).
 *
 * Classes: bought together and similar for a random product of the whole
 * catalog (almost every request misses the per-instance cache) and for a
 * Zipf-popular one (as product pages are visited: mostly hits), for you for
 * a random customer with orders (signed in), semantic search with synonym
 * queries and with ordinary title words (a small set: cached after the first
 * answer), and pairs of title words or a title word and a synonym (mostly
 * distinct: cache misses).
 * Per class: req/s, p50, p99, and CPU ms per request of the app and the
 * proxy (from /proc: less dependent on other load than latency). Then the
 * app's RSS, and the nearest-neighbour index's recall@50 against brute force
 * on this catalog (measured in this process). Writes scripts/load/results/ai.json.
 */
import { mkdir } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import type postgres from "postgres";
import { createTestDatabase, testRedisUrl } from "../../db/testing.ts";
import { proxyRuntimeEnv } from "../../proxy/runtime-env.ts";
import { signAccessToken } from "../../server/core/tokens.ts";
import { measureRecall, type RecallReport } from "./ai-recall.ts";
import { random, seedRecommendations, zipf } from "./ai-seed.ts";
import { dropListCache, existingDatabase, readCorpus } from "./search-bench.ts";
import {
  type BenchRequest,
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

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "100000" },
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "32" },
    orders: { type: "string", default: "60000" },
    customers: { type: "string", default: "20000" },
    "port-base": { type: "string", default: process.env.BENCH_PORT_BASE ?? "32100" },
    "database-url": { type: "string" },
    "seed-recommendations": { type: "boolean", default: false },
    "no-recall": { type: "boolean", default: false },
    /** Runs only the classes whose name contains this (e.g. "uncached", "for you": for profiling one path). */
    only: { type: "string" },
    /** The load generator: wrk when installed (far cheaper per request on 2 shared cores), else fetch. */
    client: { type: "string", default: haveWrk() ? "wrk" : "fetch" },
  },
  strict: true,
});
if (values.client !== "wrk" && values.client !== "fetch") throw new Error("--client: wrk or fetch");
const drive = values.client === "wrk" ? runWrk : run;
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const JWT_SECRET = "x".repeat(32); // what startInstance gives the app

/** Synonyms and paraphrases a shopper types (few share a word with the seeded titles). */
const SYNONYMS = [
  "couch",
  "settee",
  "laptop bag",
  "rucksack",
  "purse",
  "sneakers",
  "jogging trainers",
  "jumper",
  "raincoat",
  "anorak",
  "reading light",
  "coffee maker",
  "teapot",
  "cooking knife",
  "skillet",
  "workout weights",
  "bicycle",
  "cellphone",
  "earphones",
  "loudspeaker",
  "tv set",
  "wristwatch",
  "shades",
  "pram",
  "toy",
  "watering pipe",
  "grass cutter",
  "screwdriver",
  "hoover",
  "goblets",
];

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const search = (q: string) => `/api/ai/search?q=${encodeURIComponent(q)}&limit=20`;

type Row = ClassResult & {
  app_cpu_ms_per_req: number;
  proxy_cpu_ms_per_req: number;
  /** Share of lookups answered from the app's cache (recommendations or semantic search). */
  cache_hit_ratio: number | null;
};

/** The app's cache lookups so far, by cache and result (from its /metrics, asked directly). */
async function cacheLookups(appBase: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${appBase}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^cache_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const cache = /cache="([^"]+)"/.exec(m[1]!)?.[1] ?? "?";
    const result = /result="([^"]+)"/.exec(m[1]!)?.[1] ?? "?";
    if (cache === "semantic_search" || cache === "recommendations")
      out[`${cache}/${result}`] = (out[`${cache}/${result}`] ?? 0) + Number(m[2]);
  }
  return out;
}

async function main(): Promise<void> {
  let port = Number(values["port-base"]);
  const given = values["database-url"];
  const db = given ? existingDatabase(given) : await createTestDatabase("aibench");
  const redisUrl = await testRedisUrl();
  const started: Instance[] = [];
  try {
    if (!given) {
      console.log(`seeding ${values.products} products ...`);
      const { seedCatalog } = await import("../../db/seed.ts");
      console.log(`seeded in ${(await seedCatalog(db.sql, { products: Number(values.products) })).ms} ms`);
    }
    if (!given || values["seed-recommendations"]) {
      const r = await seedRecommendations(db.sql, {
        orders: Number(values.orders),
        customers: Number(values.customers),
      });
      console.log(`recommender data: ${r.orders} orders, ${r.pairs} product pairs in ${r.ms} ms`);
      await db.sql`vacuum analyze`;
    }
    if (given && redisUrl) await dropListCache(redisUrl, db.url);
    const slugs = (await db.sql<{ slug: string }[]>`select slug from products where status = 'active'`).map(
      (r) => r.slug,
    );
    const customers = (
      await db.sql<{ user_id: string }[]>`select distinct user_id from rec_orders limit 50000`
    ).map((r) => Number(r.user_id));
    const [counts] = await db.sql<{ pairs: number; similar: number }[]>`
      select (select count(*) from rec_pairs)::int as pairs, (select count(*) from rec_similar)::int as similar`;
    if (!customers.length || !counts!.pairs)
      console.warn(
        "warning: the recommender's tables are empty here (pass --seed-recommendations on a database you may write)",
      );
    // (a table that is not there cannot be named in the same statement that asks for it)
    const [forYouTable] = await db.sql<{ t: string | null }[]>`select to_regclass('rec_for_you')::text as t`;
    const stored = forYouTable?.t
      ? ((await db.sql<{ n: number }[]>`select count(*)::int as n from rec_for_you`)[0]?.n ?? 0)
      : null;
    if (customers.length && !stored)
      console.warn(
        stored === null
          ? "warning: no rec_for_you table (migration 0106): for-you answers none here"
          : "warning: no stored for-you lists: each customer's first read ranks and stores it (the seed runs rebuildForYou)",
      );
    const corpus = await readCorpus(db.sql);
    const words = [...corpus.broad, ...corpus.narrow.slice(0, 30)];
    const many = await titleWords(db.sql, 400);
    const tokens = new Map<number, string>();
    const tokenOf = (id: number) => {
      let t = tokens.get(id);
      if (!t) {
        t = signAccessToken(
          { id, email: `c${id}@bench.example`, role: "customer" },
          { secret: JWT_SECRET, ttlSeconds: 3600 },
        );
        tokens.set(id, t);
      }
      return t;
    };
    // Product pages are visited unevenly: Zipf (s = 1) over a shuffled catalog, beside the uniform worst case.
    const shuffled = [...slugs];
    const rnd = random(99);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const rank = zipf(shuffled.length, 1, Math.random);
    const popular = () => shuffled[rank()]!;
    const rec = (slug: string, what: string) => `/api/ai/recommendations/products/${slug}/${what}`;
    const classes: [string, () => BenchRequest][] = [
      ["bought together, random product", () => rec(pick(slugs), "bought-together")],
      ["bought together, Zipf-popular product", () => rec(popular(), "bought-together")],
      ["similar, random product", () => rec(pick(slugs), "similar")],
      ["similar, Zipf-popular product", () => rec(popular(), "similar")],
      [
        "for you, random customer (signed in)",
        () => {
          const id = customers.length ? pick(customers) : 1;
          return {
            path: "/api/ai/recommendations/for-you",
            headers: { authorization: `Bearer ${tokenOf(id)}` },
          };
        },
      ],
      [`semantic, ${SYNONYMS.length} synonym queries`, () => search(pick(SYNONYMS))],
      [`semantic, ${words.length} title words`, () => search(pick(words))],
      [
        `semantic, pairs of ${many.length} title words or a word + a synonym (mostly uncached)`,
        () => search(Math.random() < 0.5 ? `${pick(many)} ${pick(many)}` : `${pick(many)} ${pick(SYNONYMS)}`),
      ],
    ];

    const app = await startInstance(
      { DATABASE_URL: db.url, DATABASE_REPLICA_URLS: "", REDIS_URL: redisUrl ?? "", PORT: String(port++) },
      true,
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
        JWT_SECRET,
        LOG_LEVEL: "warn",
        ...proxyRuntimeEnv,
      },
      port - 2,
    );
    started.push(proxy);
    const beforeWords = app.memory();
    const semanticReadyMs = await waitForHybrid(`http://127.0.0.1:${app.port}`);
    const ready = app.memory();
    console.log(
      `app: search index ready ${app.readyMs} ms after start; semantic search hybrid ${semanticReadyMs} ms after its first request; RSS ${beforeWords.rss_mb} → ${ready.rss_mb} MB`,
    );
    const base = `http://127.0.0.1:${proxy.port}`;
    const rows: Row[] = [];
    for (const [name, next] of classes) {
      if (values.only && !name.includes(values.only)) continue;
      await drive(base, next, 1, concurrency); // warm-up
      const appBase = `http://127.0.0.1:${app.port}`;
      const lookups0 = await cacheLookups(appBase);
      const cpu0 = [procCpuMs(app.proc.pid), procCpuMs(proxy.proc.pid)];
      const r = await drive(base, next, seconds, concurrency);
      const cpu1 = [procCpuMs(app.proc.pid), procCpuMs(proxy.proc.pid)];
      const lookups1 = await cacheLookups(appBase);
      const delta = (k: string) => (lookups1[k] ?? 0) - (lookups0[k] ?? 0);
      const total = Object.keys(lookups1).reduce((a, k) => a + delta(k), 0);
      const hits = Object.keys(lookups1)
        .filter((k) => k.endsWith("/hit"))
        .reduce((a, k) => a + delta(k), 0);
      const per = (ms: number) => Math.round((ms / Math.max(1, r.requests)) * 1000) / 1000;
      const row: Row = {
        name,
        ...r,
        app_cpu_ms_per_req: per(cpu1[0]! - cpu0[0]!),
        proxy_cpu_ms_per_req: per(cpu1[1]! - cpu0[1]!),
        cache_hit_ratio: total ? Math.round((100 * hits) / total) / 100 : null,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
    const memory = app.memory();
    await stop(proxy);
    await stop(app);
    const load = loadavg().map((l) => l.toFixed(1));
    let recall: RecallReport | null = null;
    if (!values["no-recall"]) {
      console.log("measuring the nearest-neighbour index against brute force ...");
      recall = await measureRecall(db.sql, [...SYNONYMS, ...words]);
    }
    const table = [
      `| class | req/s | p50 ms | p99 ms | errors | app CPU ms/req | proxy CPU ms/req | cache hits |`,
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.rps} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors} | ${r.app_cpu_ms_per_req} | ${r.proxy_cpu_ms_per_req} | ${r.cache_hit_ratio === null ? "-" : `${Math.round(100 * r.cache_hit_ratio)}%`} |`,
      ),
    ].join("\n");
    const lines = [
      table,
      "",
      `${slugs.length} products, ${concurrency} clients (${values.client}), ${seconds} s per class, ${cpus().length} CPUs, load average after the run ${load.join(" ")}`,
      `app RSS: ${beforeWords.rss_mb} MB before semantic search was first used, ${ready.rss_mb} MB once its vectors were loaded and indexed, ${memory.rss_mb} MB after the run (peak ${memory.peak_mb} MB)`,
      recall
        ? `index on this catalog: ${recall.products} product vectors, ${recall.cells} cells, ${recall.probes} probes; recall@50 ${(100 * recall.recall_at_50).toFixed(1)}% (worst query ${(100 * recall.worst_recall_at_50).toFixed(0)}%) over ${recall.queries} queries; ${recall.ivf_ms_per_query} ms a query vs brute force ${recall.brute_ms_per_query} ms (vectors + index built in ${recall.vectors_build_ms} ms)`
        : "",
    ];
    console.log(`\n${lines.join("\n")}`);
    await mkdir(`${import.meta.dir}/results`, { recursive: true });
    await Bun.write(
      `${import.meta.dir}/results/ai.json`,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          products: slugs.length,
          seconds,
          concurrency,
          via: "proxy",
          load_average_after: load,
          semantic_ready_ms: semanticReadyMs,
          rss_mb: {
            before_semantic: beforeWords.rss_mb,
            semantic_ready: ready.rss_mb,
            after_run: memory.rss_mb,
            peak: memory.peak_mb,
          },
          results: rows,
          recall,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const p of started.reverse()) await stop(p);
    if (redisUrl) await dropListCache(redisUrl, db.url);
    await db.drop();
  }
}

/** The `n` most frequent words (3+ letters, not numbers) of 5000 random product titles. */
async function titleWords(sql: postgres.Sql, n: number): Promise<string[]> {
  const rows = await sql<{ title: string }[]>`
    select title from products where status = 'active' order by random() limit 5000`;
  const freq = new Map<string, number>();
  for (const r of rows)
    for (const w of r.title.toLowerCase().match(/[a-z]{3,}/g) ?? []) freq.set(w, (freq.get(w) ?? 0) + 1);
  return [...freq]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([w]) => w);
}

/** Asks the app directly until semantic search answers in hybrid mode (word and product vectors loaded); ms taken. */
async function waitForHybrid(base: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const res = await fetch(`${base}${search("couch")}`);
    const body = (await res.json()) as { mode?: string };
    if (body.mode === "hybrid") return Math.round(performance.now() - t0);
    if (performance.now() - t0 > 300_000)
      throw new Error("semantic search did not become hybrid within 300 s");
    await Bun.sleep(250);
  }
}

await main();
