import type { Sql } from "../../db/client.ts";
import { jwtSecret, loadConfig } from "../../platform/config.ts";
import type { AuthUser, Role } from "../core/roles.ts";
import { signAccessToken } from "../core/tokens.ts";
import type { TestApp } from "./harness.ts";

/**
 * Shop-wide fixtures for tests of any domain: users with signed tokens,
 * products with stock, and an order placed through the HTTP routes.
 */

/** A user row and an access token for it. */
export interface TestUser extends AuthUser {
  token: string;
}

/**
 * Inserts `count` users with `role` and signs a token for each (one round
 * trip). The default secret is the development key an app built from a
 * minimal environment (no JWT_SECRET) uses.
 */
export async function createUsers(
  sql: Sql,
  count: number,
  role: Role = "customer",
  secret = jwtSecret(loadConfig({})),
): Promise<TestUser[]> {
  const tag = crypto.randomUUID().slice(0, 8);
  const rows = await sql<{ id: string; email: string }[]>`
    insert into users (email, password_hash, name, role)
    select 'u' || g || '-' || ${tag} || '@example.com', 'x', 'User ' || g, ${role}
    from generate_series(1, ${count}) g
    returning id, email`;
  return rows.map((r) => {
    const user: AuthUser = { id: Number(r.id), email: r.email, role };
    return { ...user, token: signAccessToken(user, { secret, ttlSeconds: 3600 }) };
  });
}

/** Inserts a user with `role` and returns a bearer header for it (signed with the app's secret). */
export async function userWithToken(
  t: TestApp,
  role: Role = "customer",
): Promise<{ id: number; headers: Record<string, string> }> {
  const [user] = await createUsers(t.sql, 1, role, jwtSecret(t.deps.config));
  return { id: user!.id, headers: { authorization: `Bearer ${user!.token}` } };
}

/** Inserts a product with one variant per SKU and their stock. */
export async function createSkus(
  sql: Sql,
  skus: { sku: string; price: number; stock: number; title?: string }[],
  status: "active" | "archived" = "active",
): Promise<void> {
  const slug = `p-${crypto.randomUUID().slice(0, 8)}`;
  const [cat] = await sql<{ id: string }[]>`
    insert into categories (slug, name) values (${`c-${slug}`}, 'Test') returning id`;
  const [product] = await sql<{ id: string }[]>`
    insert into products (slug, title, category_id, status) values (${slug}, ${`Product ${slug}`}, ${cat!.id}, ${status})
    returning id`;
  for (const s of skus) {
    await sql`insert into variants (product_id, sku, title, price) values (${product!.id}, ${s.sku}, ${s.title ?? s.sku}, ${s.price})`;
    await sql`insert into inventory (sku, quantity) values (${s.sku}, ${s.stock})`;
  }
}

/** Current stock of one SKU. */
export async function stockOf(sql: Sql, sku: string): Promise<number> {
  const [row] = await sql<{ quantity: number }[]>`select quantity from inventory where sku = ${sku}`;
  return row?.quantity ?? -1;
}

/** A valid checkout body paying with `token`. */
export function checkoutBody(token = "tok_visa") {
  return {
    shipping_address: {
      name: "Ada Buyer",
      line1: "1 Main St",
      city: "Springfield",
      postal_code: "12345",
      country: "US",
    },
    payment: { method: "test_card", token },
  };
}

/** Puts `quantity` of `sku` into the user's own cart (no cart token). */
export async function fillCart(t: TestApp, user: TestUser, sku: string, quantity: number): Promise<void> {
  const res = await t.request("/api/cart/items", {
    method: "POST",
    token: user.token,
    json: { sku, quantity },
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`add to cart: ${res.status} ${await res.text()}`);
}
