import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { restoreCart } from "./lifecycle.ts";

let t: TestDatabase;
let userId: number;

beforeAll(async () => {
  t = await createTestDatabase("cartlife");
  const [c] = await t.sql<
    { id: string }[]
  >`insert into categories (slug, name) values ('c', 'C') returning id`;
  const [p] = await t.sql<{ id: string }[]>`
    insert into products (slug, title, category_id) values ('p', 'P', ${c!.id}) returning id`;
  await t.sql`insert into variants (product_id, sku, price) values (${p!.id}, 'SKU-X', 1000)`;
  await t.sql`insert into inventory (sku, quantity) values ('SKU-X', 10)`;
  const [u] = await t.sql<{ id: string }[]>`
    insert into users (email, password_hash, name) values ('race@example.com', 'x', 'R') returning id`;
  userId = Number(u!.id);
});
afterAll(async () => {
  await t.drop();
});

test("restoring a cart while the user's new cart is being created merges the lines into it", async () => {
  const [old] = await t.sql<{ id: string }[]>`
    insert into carts (user_id, status) values (${userId}, 'converted') returning id`;
  await t.sql`insert into cart_items (cart_id, sku, quantity) values (${old!.id}, 'SKU-X', 2)`;

  // Another request creates the user's new active cart but has not committed yet.
  const other = await t.sql.reserve();
  await other`begin`;
  const [fresh] = await other<{ id: string }[]>`insert into carts (user_id) values (${userId}) returning id`;
  const committing = Bun.sleep(300).then(async () => {
    await other`commit`;
    other.release();
  });

  // The restore does not see that cart, tries to reactivate the old one, and
  // waits on the one-active-cart index until the other transaction commits.
  await t.db.tx((tx) => restoreCart(tx, old!.id));
  await committing;

  const carts = await t.sql<
    { id: string; status: string }[]
  >`select id, status from carts where user_id = ${userId} order by created_at`;
  expect(carts.find((c) => c.id === old!.id)?.status).toBe("converted");
  expect(carts.find((c) => c.id === fresh!.id)?.status).toBe("active");
  const items = await t.sql<
    { sku: string; quantity: number }[]
  >`select sku, quantity from cart_items where cart_id = ${fresh!.id}`;
  expect([...items]).toEqual([{ sku: "SKU-X", quantity: 2 }]);
});
