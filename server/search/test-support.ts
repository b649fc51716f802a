import type postgres from "postgres";
import { seedFixture } from "../catalog/test-support.ts";

/**
 * The catalog fixture (electronics > phones > smartphones, home; pixel-phone,
 * basic-phone, desk-lamp) plus search-specific products:
 * - `wireless-headphones` electronics > audio, Sonica, 19900, in stock, rated 5+4
 * - `studio-headphones`   electronics > audio, Sonica, 34900, out of stock, rated 3
 * - `cafe-creme-mug`      home, Acme, 1200, in stock, "Café Crème Mug" (accents)
 * - `vintage-headphones`  electronics > audio, Sonica, 5000, ARCHIVED
 * Active products: 6.
 */
export async function seedSearchFixture(sql: postgres.Sql): Promise<void> {
  await seedFixture(sql);
  const [audio] = await sql<{ id: string }[]>`
    insert into categories (slug, name, parent_id)
    select 'audio', 'Audio', id from categories where slug = 'electronics' returning id`;
  const [home] = await sql<{ id: string }[]>`select id from categories where slug = 'home'`;
  const product = async (
    slug: string,
    title: string,
    description: string,
    brand: string,
    category: string,
    price: number,
    stock: number,
    ratings: number[],
    status: "active" | "archived" = "active",
  ) => {
    const [p] = await sql<{ id: string }[]>`
      insert into products (slug, title, description, brand, category_id, status, rating_sum, rating_count)
      values (${slug}, ${title}, ${description}, ${brand}, ${category}, ${status},
              ${ratings.reduce((a, b) => a + b, 0)}, ${ratings.length})
      returning id`;
    const sku = slug.toUpperCase().slice(0, 20);
    await sql`insert into variants (product_id, sku, title, price) values (${p!.id}, ${sku}, 'Standard', ${price})`;
    await sql`insert into inventory (sku, quantity) values (${sku}, ${stock})`;
  };
  await product(
    "wireless-headphones",
    "Wireless Headphones",
    "Noise cancelling over-ear headphones with a long battery life",
    "Sonica",
    audio!.id,
    19900,
    5,
    [5, 4],
  );
  await product(
    "studio-headphones",
    "Studio Headphones Pro",
    "Closed-back monitoring for the studio",
    "Sonica",
    audio!.id,
    34900,
    0,
    [3],
  );
  await product(
    "cafe-creme-mug",
    "Café Crème Mug",
    "Stoneware mug for espresso",
    "Acme",
    home!.id,
    1200,
    7,
    [],
  );
  await product(
    "vintage-headphones",
    "Vintage Headphones",
    "Retired model",
    "Sonica",
    audio!.id,
    5000,
    3,
    [],
    "archived",
  );
}
