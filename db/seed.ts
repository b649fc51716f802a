import type { Sql } from "./client.ts";

/**
 * Demo catalog generator. Everything is set-based SQL (generate_series), so
 * 100k products with variants, stock and reviews take seconds, not minutes.
 */
const tree: Record<string, Record<string, string[]>> = {
  Electronics: {
    Phones: ["Smartphones", "Phone Cases", "Chargers"],
    Computers: ["Laptops", "Desktops", "Monitors", "Keyboards"],
    Audio: ["Headphones", "Speakers", "Microphones"],
    Cameras: ["Mirrorless", "Action Cameras", "Lenses"],
  },
  Home: {
    Kitchen: ["Cookware", "Knives", "Small Appliances"],
    Furniture: ["Chairs", "Tables", "Shelving"],
    Decor: ["Lighting", "Rugs", "Wall Art"],
  },
  Fashion: {
    Men: ["Shirts", "Trousers", "Jackets"],
    Women: ["Dresses", "Tops", "Coats"],
    Shoes: ["Sneakers", "Boots", "Sandals"],
  },
  Sports: {
    Outdoor: ["Tents", "Backpacks", "Climbing"],
    Fitness: ["Weights", "Yoga", "Cardio"],
    Cycling: ["Bikes", "Helmets", "Bike Parts"],
  },
  Books: {
    Fiction: ["Fantasy", "Mystery", "Science Fiction"],
    "Non-fiction": ["History", "Science", "Business"],
  },
};

const brands = [
  "Acme",
  "Northwind",
  "Contoso",
  "Globex",
  "Initech",
  "Umbrella",
  "Stark",
  "Wayne",
  "Tyrell",
  "Cyberdyne",
  "Hooli",
  "Vandelay",
  "Soylent",
  "Gringotts",
  "Aperture",
  "Black Mesa",
  "Wonka",
  "Oscorp",
  "Massive Dynamic",
  "Pied Piper",
  "Monarch",
  "Virtucon",
  "Ollivanders",
  "Nakatomi",
  "Duff",
  "Prestige",
  "Zorg",
  "Blue Sun",
  "Weyland",
  "Kaiju Labs",
];
const adjectives = [
  "classic",
  "ultra",
  "compact",
  "pro",
  "eco",
  "smart",
  "rugged",
  "slim",
  "deluxe",
  "lite",
  "urban",
  "alpine",
  "vintage",
  "modern",
  "wireless",
  "premium",
  "essential",
  "studio",
  "travel",
  "everyday",
];
const nouns = [
  "widget",
  "gadget",
  "kit",
  "set",
  "pack",
  "edition",
  "model",
  "series",
  "bundle",
  "system",
  "station",
  "unit",
];
const sizes = ["Standard", "Small", "Medium", "Large", "XL"];

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export interface SeedOptions {
  products: number;
  /** Number of reviewer accounts created on first seed. */
  reviewers?: number;
  /** 0..1, makes runs repeatable. */
  randomSeed?: number;
}

export interface SeedResult {
  categories: number;
  products: number;
  variants: number;
  reviews: number;
  ms: number;
}

/** Inserts the category tree (idempotent); returns the leaf category ids. */
async function seedCategories(sql: Sql): Promise<number[]> {
  let position = 0;
  for (const [root, mids] of Object.entries(tree)) {
    const [r] = await sql<{ id: number }[]>`
      insert into categories (slug, name, position) values (${slugify(root)}, ${root}, ${position++})
      on conflict (slug) do update set name = excluded.name returning id`;
    for (const [mid, leaves] of Object.entries(mids)) {
      const [m] = await sql<{ id: number }[]>`
        insert into categories (slug, name, parent_id, position) values (${slugify(mid)}, ${mid}, ${r!.id}, ${position++})
        on conflict (slug) do update set name = excluded.name returning id`;
      for (const leaf of leaves) {
        await sql`
          insert into categories (slug, name, parent_id, position) values (${slugify(leaf)}, ${leaf}, ${m!.id}, ${position++})
          on conflict (slug) do nothing`;
      }
    }
  }
  const leaves = await sql<{ id: number }[]>`
    select c.id from categories c where not exists (select 1 from categories k where k.parent_id = c.id) order by c.id`;
  return leaves.map((l) => Number(l.id));
}

/** Seeds `products` more products (appending after existing ones), with variants, stock and reviews. */
export async function seedCatalog(sql: Sql, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const leaves = await seedCategories(sql);
  const reviewerCount = opts.reviewers ?? 300;
  const passwordHash = await Bun.password.hash(crypto.randomUUID(), { algorithm: "argon2id" });

  const result = await sql.begin(async (tx) => {
    await tx`select setseed(${opts.randomSeed ?? 0.42})`;
    // The catalog's triggers keep per-product price and stock summaries; for a
    // bulk load they would run once per statement over every new row, so they
    // are off for this transaction and the summaries are computed once below.
    await tx`alter table variants disable trigger user`;
    await tx`alter table inventory disable trigger user`;
    await tx`
      insert into users (email, password_hash, name)
      select 'reviewer' || g || '@seed.example', ${passwordHash}, 'Reviewer ' || g
      from generate_series(1, ${reviewerCount}) g
      on conflict (email) do nothing`;
    const [baseRow] = await tx<{ base: number }[]>`select coalesce(max(id), 0)::int as base from products`;
    const base = baseRow!.base;
    const products = await tx`
      insert into products (slug, title, description, brand, category_id, images, currency, created_at)
      select
        a.adj || '-' || n.noun || '-' || (${base} + g),
        initcap(a.adj) || ' ' || initcap(n.noun) || ' ' || (${base} + g),
        'The ' || a.adj || ' ' || n.noun || ' for everyday use. Durable, well made and covered by a two-year warranty.',
        (${brands}::text[])[1 + (g * 7 + ${base}) % ${brands.length}],
        (${leaves}::bigint[])[1 + (g * 13) % ${leaves.length}],
        -- three views per product, so the product page's gallery has something to switch between
        jsonb_build_array(
          '/media/products/' || (1 + g % 12) || '.svg',
          '/media/products/' || (1 + (g + 4) % 12) || '.svg',
          '/media/products/' || (1 + (g + 8) % 12) || '.svg'),
        'USD',
        now() - (random() * 730) * interval '1 day'
      from generate_series(1, ${opts.products}) g
      cross join lateral (select (${adjectives}::text[])[1 + (g * 31) % ${adjectives.length}] as adj) a
      cross join lateral (select (${nouns}::text[])[1 + (g * 17) % ${nouns.length}] as noun) n`;
    const variants = await tx`
      insert into variants (product_id, sku, title, price, currency, position)
      select p.id, 'SKU-' || p.id || '-' || v, (${sizes}::text[])[v], ((3 + random() * 500)::int * 100 + 99), 'USD', v
      from products p cross join lateral generate_series(1, 1 + (p.id % 3)::int) v
      where p.id > ${base}`;
    await tx`
      insert into inventory (sku, quantity)
      select v.sku, case when random() < 0.07 then 0 when random() < 0.1 then (random() * 5)::int else (random() * 250)::int end
      from variants v where v.product_id > ${base}`;
    const reviews = await tx`
      insert into reviews (product_id, user_id, rating, title, body, created_at)
      select p.id, u.id,
             greatest(1, least(5, round(3.8 + random() * 2.4 - random() * 1.6)))::smallint,
             'Review of ' || p.title, 'Solid purchase; would buy again.', now() - random() * interval '300 days'
      from products p
      cross join lateral (
        select id from users where email like 'reviewer%@seed.example'
        order by id offset (p.id * 7) % greatest(${reviewerCount} - 5, 1) limit (p.id % 5)
      ) u
      where p.id > ${base} and p.id % 3 = 0
      on conflict (product_id, user_id) do nothing`;
    await tx`
      update products p set
        min_price = s.min_price, max_price = s.max_price, in_stock = s.in_stock,
        rating_sum = coalesce(r.sum, 0), rating_count = coalesce(r.cnt, 0)
      from (
        select v.product_id, min(v.price) as min_price, max(v.price) as max_price, bool_or(i.quantity > 0) as in_stock
        from variants v join inventory i on i.sku = v.sku where v.product_id > ${base} group by v.product_id
      ) s
      left join (select product_id, sum(rating) as sum, count(*) as cnt from reviews where product_id > ${base} group by product_id) r
        on r.product_id = s.product_id
      where p.id = s.product_id`;
    await tx`alter table variants enable trigger user`;
    await tx`alter table inventory enable trigger user`;
    return { products: products.count, variants: variants.count, reviews: reviews.count };
  });
  await sql`analyze`;
  return { categories: leaves.length, ...result, ms: Math.round(performance.now() - started) };
}

/** True when the catalog has no products yet. */
export async function catalogIsEmpty(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ empty: boolean }[]>`select not exists (select 1 from products) as empty`;
  return row!.empty;
}
