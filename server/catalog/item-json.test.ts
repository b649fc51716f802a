import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { seedCatalog } from "../../db/seed.ts";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { itemSlugAndTitle, listItemJsonByIds } from "./item-json.ts";
import { presentListItem } from "./present.ts";
import { listProductsByIds } from "./queries.ts";

setDefaultTimeout(60_000);

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase("itemjson");
  await seedCatalog(db.sql, { products: 2000 });
});

afterAll(async () => {
  await db.drop();
});

/** JSON.stringify(presentListItem(row)) per id: what the SQL text must equal byte for byte. */
async function expected(ids: number[]): Promise<Map<number, string>> {
  const rows = await listProductsByIds(db.sql, ids);
  return new Map(rows.map((r) => [Number(r.id), JSON.stringify(presentListItem(r))]));
}

async function fromSql(ids: number[]): Promise<Map<number, string>> {
  return new Map((await listItemJsonByIds(db.sql, ids)).map((r) => [Number(r.id), r.item]));
}

test("every seeded product: the same bytes as JSON.stringify of the presented row", async () => {
  const ids = (await db.sql<{ id: string }[]>`select id from products where status = 'active'`).map((r) =>
    Number(r.id),
  );
  expect(ids.length).toBeGreaterThan(1000);
  const texts = await fromSql(ids);
  expect(texts).toEqual(await expected(ids));
  for (const text of texts.values()) {
    const { slug, title } = JSON.parse(text) as { slug: string; title: string };
    expect(itemSlugAndTitle(text)).toEqual({ slug, title });
  }
});

test("slug and title read from the head of the text, escapes included; other texts parsed whole", () => {
  const item = { slug: 'a"b\\', title: 'T "q" \\ \n 😀', brand: "x" };
  expect(itemSlugAndTitle(JSON.stringify(item))).toEqual({ slug: item.slug, title: item.title });
  expect(itemSlugAndTitle('{"title":"t","slug":"s"}')).toEqual({ slug: "s", title: "t" });
  expect(itemSlugAndTitle('{"slug":"s","title":"t"}')).toEqual({ slug: "s", title: "t" });
});

test("awkward values: escapes, unicode, no variants or images, rating ties, stock levels, microseconds", async () => {
  const [cat] = await db.sql<{ id: string }[]>`
    insert into categories (slug, name) values ('odd-cat', 'Odd "cat" \\ é') returning id`;
  const make = async (
    slug: string,
    title: string,
    ratingSum: number,
    ratingCount: number,
    images: string[],
    created: string,
    variants: [string, number, number][],
  ) => {
    const [p] = await db.sql<{ id: string }[]>`
      insert into products (slug, title, brand, category_id, images, currency, min_price, max_price,
                            rating_sum, rating_count, created_at)
      values (${slug}, ${title}, ${"Brånd\t\u0001"}, ${cat!.id}, ${db.sql.json(images)}, 'EUR', 1999, 2999,
              ${ratingSum}, ${ratingCount}, ${created})
      returning id`;
    let pos = 0;
    for (const [sku, price, stock] of variants) {
      await db.sql`insert into variants (product_id, sku, title, price, currency, position)
                   values (${p!.id}, ${sku}, ${`${sku} "v"\n`}, ${price}, 'EUR', ${pos++})`;
      await db.sql`insert into inventory (sku, quantity) values (${sku}, ${stock})`;
    }
    return Number(p!.id);
  };
  const ids = [
    // 33/8 = 4.125: a tie JavaScript rounds up (half-even rounding would give 4.12).
    await make(
      "tie",
      'Quote " back \\ slash \u2028 emoji 😀',
      33,
      8,
      [],
      "2026-01-02 03:04:05.678999+00",
      [],
    ),
    // 41/40 = 1.025, just below the tie in binary: 1.02 (exact decimal rounding would give 1.03).
    await make(
      "below-tie",
      "Ünïcödé <b>&amp;</b>",
      41,
      40,
      ["a.jpg", 'b "q".png'],
      "1999-12-31 23:59:59+05",
      [
        ["ODD-0", 100, 0],
        ["ODD-5", 200, 5],
        ["ODD-6", 300, 6],
      ],
    ),
    await make("unrated", "Plain", 0, 0, ["x"], "2026-06-01 00:00:00.000001+00", [["ODD-N", 1, -0]]),
  ];
  const sqlText = await fromSql(ids);
  expect(sqlText).toEqual(await expected(ids));
  expect(JSON.parse(sqlText.get(ids[0]!)!).rating.average).toBe(4.13);
  expect(JSON.parse(sqlText.get(ids[1]!)!).rating.average).toBe(1.02);
});

test("inactive and unknown ids are left out", async () => {
  const [p] = await db.sql<{ id: string }[]>`select id from products where status = 'active' limit 1`;
  await db.sql`update products set status = 'archived' where id = ${p!.id}`;
  expect(await listItemJsonByIds(db.sql, [Number(p!.id), 99_999_999])).toEqual([]);
  expect(await listItemJsonByIds(db.sql, [])).toEqual([]);
});

test("stored items follow every write that changes them, in the writing transaction", async () => {
  const [row] = await db.sql<{ id: string; category_id: string }[]>`
    select p.id, p.category_id from products p
    where p.status = 'active' and (select count(*) from variants v where v.product_id = p.id) >= 2
    order by p.id limit 1`;
  const id = Number(row!.id);
  const [sku1, sku2] = (
    await db.sql<{ sku: string }[]>`select sku from variants where product_id = ${id} order by position, id`
  ).map((r) => r.sku);
  const same = async () => expect(await fromSql([id])).toEqual(await expected([id]));
  const itemXmin = async () =>
    (await db.sql<{ x: string }[]>`select xmin::text as x from product_items where product_id = ${id}`)[0]?.x;

  await db.sql`update variants set price = price + 1, title = 'Renamed "v"' where sku = ${sku1!}`;
  await same();
  await db.sql`update inventory set quantity = 100 where sku = ${sku2!}`;
  await same();
  // A quantity change within one stock status writes nothing.
  const before = await itemXmin();
  await db.sql`update inventory set quantity = 99 where sku = ${sku2!}`;
  expect(await itemXmin()).toBe(before);
  for (const quantity of [3, 0, 50]) {
    await db.sql`update inventory set quantity = ${quantity} where sku = ${sku1!}`;
    await same();
  }
  await db.sql`update products set rating_sum = rating_sum + 5, rating_count = rating_count + 1 where id = ${id}`;
  await same();
  await db.sql`insert into variants (product_id, sku, title, price, currency, position)
               values (${id}, 'ITEM-NEW', 'New', 5, 'EUR', 99)`;
  await same();
  await db.sql`delete from variants where sku = 'ITEM-NEW'`;
  await same();
  await db.sql`update categories set name = 'Renamed «cat»' where id = ${row!.category_id}`;
  await same();
  expect(JSON.parse((await fromSql([id])).get(id)!).category.name).toBe("Renamed «cat»");
  // A failed transaction leaves the stored item as it was.
  const kept = await fromSql([id]);
  await expect(
    db.sql.begin(async (tx) => {
      await tx`update products set title = 'Never' where id = ${id}`;
      throw new Error("rolled back");
    }),
  ).rejects.toThrow("rolled back");
  expect(await fromSql([id])).toEqual(kept);
  await db.sql`update products set status = 'archived' where id = ${id}`;
  expect(await fromSql([id])).toEqual(new Map());
  await db.sql`update products set status = 'active' where id = ${id}`;
  await same();
});
