/**
 * Storefront pages vs the JSON API, through the proxy, cached:
 *
 *   bun run load pages [-- --seconds 5 --rounds 3 --concurrency 32 --products 200]
 *
 * Starts the stack the way the README does (`scripts/dev.ts`: proxy, two app
 * instances, workers; Redis cache when one answers) on free ports and a fresh
 * seeded database, with the proxy's rate limit and access log off, warms each
 * route, then runs wrk (`--latency`, Accept-Encoding: gzip as browsers send)
 * on a product page, its JSON, a category page and its JSON, interleaved for
 * `rounds` rounds so every pair is measured side by side. Prints a Markdown
 * table (medians over the rounds, and the median of the same-round p99 ratios)
 * and writes scripts/load/results/pages.json.
 */
import { mkdir } from "node:fs/promises";
import { parseArgs } from "node:util";
import { startStack } from "../browser/stack.ts";
import { type WrkResult, wrk } from "./proxy-bench/wrk.ts";

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "200" },
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "32" },
  },
  strict: true,
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round2 = (n: number) => Math.round(n * 100) / 100;

const stack = await startStack({
  products: Number(values.products),
  instances: 2,
  env: { PROXY_RATE_LIMIT: "off", PROXY_ACCESS_LOG: "off" },
});
try {
  const [product] = await stack.database.sql<{ slug: string }[]>`
    select slug from products where status = 'active' order by id limit 1`;
  const [category] = await stack.database.sql<{ slug: string }[]>`
    select c.slug from categories c join products p on p.category_id = c.id
    group by c.slug order by count(*) desc limit 1`;
  const routes: [name: string, path: string][] = [
    ["product page `/p/:slug`", `/p/${product!.slug}`],
    ["product JSON `/api/catalog/products/:slug`", `/api/catalog/products/${product!.slug}`],
    ["category page `/c/:slug`", `/c/${category!.slug}`],
    [
      "category JSON `/api/catalog/products?category=:slug`",
      `/api/catalog/products?category=${category!.slug}`,
    ],
  ];
  const sizes = new Map<string, number>();
  for (const [, path] of routes) {
    for (let i = 0; i < 20; i++) {
      const r = await fetch(stack.url + path, { headers: { "accept-encoding": "identity" } });
      if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
      sizes.set(path, (await r.arrayBuffer()).byteLength);
    }
  }
  const runs = new Map<string, WrkResult[]>(routes.map(([, p]) => [p, []]));
  for (let r = 1; r <= rounds; r++) {
    for (const [name, path] of routes) {
      const res = await wrk(stack.url + path, concurrency, seconds, ["Accept-Encoding: gzip"], false);
      runs.get(path)!.push(res);
      console.log(
        `round ${r} ${name}: ${Math.round(res.rps)} req/s, p50 ${res.p50ms} ms, p99 ${res.p99ms} ms, errors ${res.errors}`,
      );
    }
  }
  const p99Ratio = (page: string, json: string) =>
    round2(median(runs.get(page)!.map((res, i) => res.p99ms / runs.get(json)![i]!.p99ms)));
  const results = routes.map(([name, path]) => {
    const rs = runs.get(path)!;
    return {
      route: name,
      path,
      bytes: sizes.get(path)!,
      rps: Math.round(median(rs.map((x) => x.rps))),
      p50_ms: round2(median(rs.map((x) => x.p50ms))),
      p99_ms: round2(median(rs.map((x) => x.p99ms))),
      errors: rs.reduce((a, x) => a + x.errors, 0),
    };
  });
  const ratios = {
    product_page_p99_over_json: p99Ratio(routes[0]![1], routes[1]![1]),
    category_page_p99_over_json: p99Ratio(routes[2]![1], routes[3]![1]),
  };
  console.log(
    `\n| route | body | req/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: |\n${results
      .map((x) => `| ${x.route} | ${(x.bytes / 1024).toFixed(1)} KB | ${x.rps} | ${x.p50_ms} | ${x.p99_ms} |`)
      .join(
        "\n",
      )}\n\np99 page / JSON, median of the same-round ratios: product ${ratios.product_page_p99_over_json}×, category ${ratios.category_page_p99_over_json}×`,
  );
  await mkdir(`${import.meta.dir}/results`, { recursive: true });
  await Bun.write(
    `${import.meta.dir}/results/pages.json`,
    JSON.stringify({ at: new Date().toISOString(), seconds, rounds, concurrency, results, ratios }, null, 2),
  );
} finally {
  await stack.stop();
}
