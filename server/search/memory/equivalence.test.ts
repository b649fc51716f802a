import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { seedCatalog } from "../../../db/seed.ts";
import { createTestDatabase, type TestDatabase } from "../../../db/testing.ts";
import { createLogger } from "../../../platform/logger.ts";
import { PRICE_BUCKETS } from "../facet-buckets.ts";
import { createPostgresEngine } from "../pg/engine.ts";
import { words } from "../pg/query-text.ts";
import { type Facets, SEARCH_SORTS, type SearchEngine, type SearchQuery } from "../types.ts";
import { createMemoryEngine, type MemoryEngine } from "./engine.ts";

setDefaultTimeout(120_000);

/**
 * The in-process index against the Postgres engine on the same catalog and
 * random queries: identical totals, facets and (for every sort but
 * relevance) pages; facets also recounted by plain SQL over the matched ids.
 * The vocabulary is read from the catalog, so any seed works.
 */
let db: TestDatabase;
let pg: SearchEngine;
let mem: MemoryEngine;
let vocabulary: string[] = [];
let brands: string[] = [];
let categories: string[] = [];

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  db = await createTestDatabase("searcheq");
  await seedCatalog(db.sql, { products: 3000 });
  // Odd text the seed may not have: accents, apostrophes, digits inside words.
  await db.sql`update products set title = 'Café Crème d''Or 2000', brand = 'Ñandú' where id = (select min(id) from products)`;
  await db.sql`update products set status = 'archived' where id % 97 = 0`;
  pg = createPostgresEngine(db.db);
  mem = createMemoryEngine({ db: db.db, logger: createLogger("silent"), fallback: pg, syncMs: 5000 });
  await mem.ready();
  const rows = await db.sql<{ title: string; brand: string; description: string }[]>`
    select title, brand, description from products order by id limit 400`;
  const seen = new Set<string>();
  for (const r of rows) for (const w of words(`${r.title} ${r.description}`)) if (w.length > 2) seen.add(w);
  vocabulary = [...seen];
  brands = [...new Set(rows.map((r) => r.brand).filter(Boolean))];
  categories = (await db.sql<{ slug: string }[]>`select slug from categories`).map((r) => r.slug);
});

afterAll(async () => {
  await mem?.close();
  await db?.drop();
});

function typo(w: string, r: () => number): string {
  const i = Math.floor(r() * w.length);
  return r() < 0.5
    ? w.slice(0, i) + w.slice(i + 1)
    : `${w.slice(0, i)}${w[i + 1] ?? ""}${w[i]}${w.slice(i + 2)}`;
}

function randomQuery(r: () => number): SearchQuery {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const kind = Math.floor(r() * 7);
  const q =
    kind === 0
      ? undefined
      : kind === 1
        ? pick(vocabulary)
        : kind === 2
          ? `${pick(vocabulary)} ${pick(vocabulary)}`
          : kind === 3
            ? pick(vocabulary).slice(0, 3)
            : kind === 4
              ? pick(brands)
              : kind === 5
                ? typo(pick(vocabulary), r)
                : `${pick(vocabulary)} ${pick(vocabulary).slice(0, 2)}`;
  const query: SearchQuery = {
    sort: pick([...SEARCH_SORTS]),
    page: 1 + Math.floor(r() * 3),
    page_size: 5 + Math.floor(r() * 40),
  };
  if (q !== undefined) query.q = q;
  if (q === undefined && query.sort === "relevance") query.sort = "newest";
  if (r() < 0.3) query.category = pick(categories);
  if (r() < 0.2) query.brand = pick(brands);
  if (r() < 0.2) query.min_price = Math.floor(r() * 20_000);
  if (r() < 0.2) query.max_price = (query.min_price ?? 0) + Math.floor(r() * 50_000);
  if (r() < 0.2) query.in_stock = r() < 0.5;
  if (r() < 0.2) query.min_rating = 1 + Math.floor(r() * 5);
  return query;
}

/** Every matched product's id, page by page. */
async function allIds(engine: SearchEngine, query: SearchQuery, total: number): Promise<number[]> {
  const slugs: string[] = [];
  for (let page = 1; (page - 1) * 100 < total; page++) {
    const res = await engine.search({ ...query, page, page_size: 100 });
    slugs.push(...res.items.map((i) => i.slug));
  }
  const rows = await db.sql<
    { id: number }[]
  >`select id::float8 as id from products where slug = any(${slugs})`;
  return rows.map((r) => r.id);
}

/** Facets of a set of products, counted by plain SQL (roll-up through the category tree). */
async function sqlFacets(ids: number[]): Promise<Facets> {
  const sql = db.sql;
  const cats = await sql<{ slug: string; count: number }[]>`
    with recursive up(pid, cat) as (
      select p.id, p.category_id from products p where p.id = any(${ids}::bigint[])
      union all
      select u.pid, c.parent_id from up u join categories c on c.id = u.cat where c.parent_id is not null)
    select c.slug, count(*)::int as count from up join categories c on c.id = up.cat
    group by c.slug order by count desc, c.slug`;
  const brandRows = await sql<{ value: string; count: number }[]>`
    select brand as value, count(*)::int as count from products
    where id = any(${ids}::bigint[]) and brand <> '' group by brand order by count desc, brand limit 50`;
  const prices = await sql<{ b: number; count: number }[]>`
    select width_bucket(min_price, ${PRICE_BUCKETS.map((b) => b.from)}::bigint[]) as b, count(*)::int as count
    from products where id = any(${ids}::bigint[]) group by 1 order by 1`;
  const [r] = await sql<{ r4: number; r3: number; r2: number; r1: number }[]>`
    select ${sql.unsafe([4, 3, 2, 1].map((m) => `(count(*) filter (where product_rating(rating_sum, rating_count) >= ${m}))::int as r${m}`).join(", "))}
    from products where id = any(${ids}::bigint[])`;
  return {
    categories: cats,
    brands: brandRows,
    price: prices.filter((p) => p.b >= 1).map((p) => ({ ...PRICE_BUCKETS[p.b - 1]!, count: p.count })),
    rating: ([4, 3, 2, 1] as const).map((min) => ({ min, count: r![`r${min}`] })).filter((x) => x.count > 0),
  };
}

describe("in-process index = Postgres", () => {
  test("random queries, filters, sorts and pages: same totals, facets and pages", async () => {
    const r = prng(13);
    let fullText = 0;
    let fuzzy = 0;
    for (let n = 0; n < 250; n++) {
      const query = randomQuery(r);
      const label = JSON.stringify(query);
      const [a, b] = await Promise.all([pg.search(query), mem.search(query)]);
      if (a.match === "fuzzy") {
        // Typo fallbacks differ by design (trigrams vs edit distance); both must be self-consistent.
        fuzzy++;
        expect(b.match, label).not.toBe("full_text");
      } else {
        if (a.match === "full_text") fullText++;
        expect({ label, match: b.match, total: b.total }).toEqual({ label, match: a.match, total: a.total });
        expect(b.facets, label).toEqual(a.facets);
        if (query.sort !== "relevance")
          expect(
            b.items.map((i) => i.slug),
            label,
          ).toEqual(a.items.map((i) => i.slug));
        else if (a.total <= query.page_size && query.page === 1)
          expect(b.items.map((i) => i.slug).sort(), label).toEqual(a.items.map((i) => i.slug).sort());
      }
      if (b.total > 0 && b.total <= 300)
        expect(await sqlFacets(await allIds(mem, query, b.total)), label).toEqual(b.facets);
    }
    // The mix really exercised both paths.
    expect(fullText).toBeGreaterThan(50);
    expect(fuzzy).toBeGreaterThan(5);
  });

  test("texts with operators (exclusion, phrases) are answered by Postgres, identically", async () => {
    const w = vocabulary.slice(0, 3);
    for (const q of [`${w[0]} -${w[1]}`, `"${w[0]} ${w[1]}"`, `${w[0]} or ${w[2]}`]) {
      const query: SearchQuery = { q, sort: "price_asc", page: 1, page_size: 24 };
      const [a, b] = await Promise.all([pg.search(query), mem.search(query)]);
      expect(b.total, q).toBe(a.total);
      expect(
        b.items.map((i) => i.slug),
        q,
      ).toEqual(a.items.map((i) => i.slug));
    }
  });

  test("suggestions that start a title are Postgres's exactly", async () => {
    for (const w of vocabulary.slice(0, 30)) {
      const prefix = w.slice(0, 3);
      expect(await mem.suggest(prefix), prefix).toEqual(await pg.suggest(prefix));
    }
  });
});
