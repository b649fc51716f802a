import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { restoreCart } from "./lifecycle.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

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
  // The restore does not see that cart, tries to reactivate the old one, and
  // waits on the one-active-cart index until the other transaction commits.
  const restoring = t.db.tx((tx) => restoreCart(tx, old!.id));
  // Barrier instead of a sleep: commit only once the restore is seen blocked on that
  // transaction's lock (pg_locks: a lock request not granted, in this database).
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [waiting] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where not l.granted and a.datname = current_database()`;
    if (waiting!.n > 0) break;
    if (Date.now() > deadline) throw new Error("the restore never waited on the other transaction");
    await Bun.sleep(10);
  }
  await other`commit`;
  other.release();
  await restoring;

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
