import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { userWithToken } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";
import { closeCatalogCache, seedFixture } from "./test-support.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

/**
 * Input that Postgres cannot store (NUL characters; unpaired UTF-16
 * surrogates, which JSON event payloads refuse) and numbers that overflow
 * a column must be answered with a 4xx problem, never a 500.
 */

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let admin: Record<string, string>;
let customer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  await seedFixture(t.database.sql);
  admin = (await userWithToken(t, "admin")).headers;
  customer = (await userWithToken(t, "customer")).headers;
});
afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

const NUL = "a\u0000b";
const LONE = "a\ud800b";

async function expect422(res: Response, path: string): Promise<void> {
  expect(res.status).toBe(422);
  const body = (await res.json()) as Problem;
  expect(body.errors?.map((e) => e.path)).toContain(path);
}

const product = (over: Record<string, unknown>, sku = "HOST-1") => ({
  title: "Hostile",
  description: "d",
  brand: "B",
  category: "home",
  variants: [{ sku, title: "v", price: { amount: 100, currency: "USD" }, stock: 1 }],
  ...over,
});

describe("text Postgres cannot store is a 422", () => {
  test("public list filter", async () => {
    await expect422(await t.request(`/api/catalog/products?brand=${encodeURIComponent(NUL)}`), "brand");
  });

  test("admin product create and update", async () => {
    const post = (json: unknown) =>
      t.request("/api/admin/products", { method: "POST", headers: admin, json });
    for (const value of [NUL, LONE]) {
      await expect422(await post(product({ title: value })), "title");
      await expect422(await post(product({ description: value })), "description");
      await expect422(await post(product({ brand: value })), "brand");
      await expect422(
        await post(
          product({ variants: [{ sku: "HOST-2", title: value, price: { amount: 1, currency: "USD" } }] }),
        ),
        "variants.0.title",
      );
    }
    await expect422(await post(product({ images: [`https://img.example.com/${NUL}.jpg`] })), "images.0");
    const [{ id }] = (await t.database.sql`select id from products where slug = 'desk-lamp'`) as [
      { id: string },
    ];
    const patch = await t.request(`/api/admin/products/${id}`, {
      method: "PATCH",
      headers: admin,
      json: { title: NUL },
    });
    await expect422(patch, "title");
    // Nothing half-written.
    const [n] = await t.database.sql<{ n: number }[]>`select count(*)::int as n from products`;
    expect(n!.n).toBe(3);
  });

  test("inventory reason and category name", async () => {
    await expect422(
      await t.request("/api/admin/inventory/BAS-1/adjust", {
        method: "POST",
        headers: admin,
        json: { delta: 1, reason: NUL },
      }),
      "reason",
    );
    await expect422(
      await t.request("/api/admin/categories", {
        method: "POST",
        headers: admin,
        json: { slug: "hostile", name: LONE },
      }),
      "name",
    );
  });

  test("reviews", async () => {
    const post = (json: unknown) =>
      t.request("/api/catalog/products/basic-phone/reviews", { method: "POST", headers: customer, json });
    await expect422(await post({ rating: 5, title: NUL }), "title");
    await expect422(await post({ rating: 5, body: LONE }), "body");
  });

  test("register, profile and addresses", async () => {
    await expect422(
      await t.request("/api/auth/register", {
        method: "POST",
        json: { email: "nul@example.com", password: "password123", name: NUL },
      }),
      "name",
    );
    const reg = await t.request("/api/auth/register", {
      method: "POST",
      json: { email: "ok@example.com", password: "password123", name: "Ok" },
    });
    expect(reg.status).toBe(201);
    const { access_token } = (await reg.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}` };
    await expect422(
      await t.request("/api/users/me", { method: "PATCH", headers: auth, json: { name: LONE } }),
      "name",
    );
    await expect422(
      await t.request("/api/users/me/addresses", {
        method: "POST",
        headers: auth,
        json: { name: "N", line1: NUL, city: "C", postal_code: "1", country: "DE" },
      }),
      "line1",
    );
  });
});

describe("numbers that overflow", () => {
  test("stock adjusted past the largest quantity is a 422, not a 500", async () => {
    const adjust = (delta: number) =>
      t.request("/api/admin/inventory/BAS-1/adjust", {
        method: "POST",
        headers: admin,
        json: { delta, reason: "big delivery" },
      });
    expect((await adjust(999_999_997)).status).toBe(200); // 3 + that = 10^9, the most a create accepts
    await expect422(await adjust(1), "delta");
    // Past what the column holds (2^31 - 1) would be a Postgres error: also a 422.
    await t.database.sql`update inventory set quantity = 2000000000 where sku = 'BAS-1'`;
    await expect422(await adjust(1_000_000_000), "delta");
    await t.database.sql`update inventory set quantity = 1000000000 where sku = 'BAS-1'`;
    // Taking stock away from an over-full SKU is still allowed.
    expect((await adjust(-5)).status).toBe(200);
    const [row] = await t.database.sql<{ quantity: number }[]>`
      select quantity from inventory where sku = 'BAS-1'`;
    expect(row!.quantity).toBe(999_999_995);
  });
});

describe("product images", () => {
  test("root-relative paths (as the seed and the proxy's /media use) are accepted; other schemes are not", async () => {
    const post = (images: string[], sku: string) =>
      t.request("/api/admin/products", {
        method: "POST",
        headers: admin,
        json: product({ title: `Images ${sku}`, images }, sku),
      });
    const ok = await post(["/media/products/7.svg", "https://img.example.com/a.jpg"], "IMG-OK");
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { images: string[] }).images).toEqual([
      "/media/products/7.svg",
      "https://img.example.com/a.jpg",
    ]);
    for (const bad of [
      "javascript:alert(1)",
      "//evil.example.com/x.jpg",
      "media/x.jpg",
      "/\\evil",
      "ftp://x/y",
    ]) {
      await expect422(await post([bad], "IMG-BAD"), "images.0");
    }
  });
});
