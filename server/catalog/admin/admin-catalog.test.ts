import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { userWithToken } from "../../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../../testing/harness.ts";
import type { AdminProduct, ProductDetail, ProductListItem } from "../present.ts";
import { closeCatalogCache, seedFixture } from "../test-support.ts";
import type { AdminCategory } from "./category-writes.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

interface Problem {
  status: number;
  type: string;
  errors?: { path: string; message: string }[];
  [k: string]: unknown;
}
interface Page<T> {
  items: T[];
  total: number;
}

let t: TestApp;
let admin: Record<string, string>;
let staff: Record<string, string>;
let customer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ redis: true });
  await seedFixture(t.database.sql);
  admin = (await userWithToken(t, "admin")).headers;
  staff = (await userWithToken(t, "staff")).headers;
  customer = (await userWithToken(t, "customer")).headers;
});
afterAll(async () => {
  await closeCatalogCache(t);
  await t.close();
});

const newProduct = {
  title: "Trail Runner 2",
  description: "Light shoes",
  brand: "Acme",
  category: "home",
  images: ["https://img.example.com/trail.jpg"],
  variants: [
    { sku: "TRAIL-42", title: "EU 42", price: { amount: 8900, currency: "USD" }, stock: 12 },
    { sku: "TRAIL-43", title: "EU 43", price: { amount: 9900, currency: "USD" }, stock: 0 },
  ],
};

async function events(type: string): Promise<Record<string, unknown>[]> {
  const rows = await t.database.sql<{ data: Record<string, unknown> }[]>`
    select data from outbox where type = ${type} order by seq`;
  return rows.map((r) => r.data);
}

async function idOf(slug: string): Promise<number> {
  const [row] = await t.database.sql<{ id: string }[]>`select id from products where slug = ${slug}`;
  return Number(row!.id);
}

describe("access", () => {
  test("no token is 401, a customer is 403, staff and admin may", async () => {
    for (const path of ["/api/admin/products", "/api/admin/categories"]) {
      const anon = await t.request(path);
      expect(anon.status).toBe(401);
      expect(anon.headers.get("www-authenticate")).toContain("Bearer");
      expect((await t.request(path, { headers: customer })).status).toBe(403);
      expect((await t.request(path, { headers: staff })).status).toBe(200);
      expect((await t.request(path, { headers: admin })).status).toBe(200);
    }
    const adjust = await t.request("/api/admin/inventory/BAS-1/adjust", {
      method: "POST",
      headers: customer,
      json: { delta: 1, reason: "x" },
    });
    expect(adjust.status).toBe(403);
    const tampered = await t.request("/api/admin/products", {
      headers: { authorization: `${admin.authorization}x` },
    });
    expect(tampered.status).toBe(401);
  });
});

describe("products", () => {
  let created: AdminProduct;

  test("create returns 201 with the detail view plus id and stock, and records product.created", async () => {
    const res = await t.request("/api/admin/products", { method: "POST", headers: admin, json: newProduct });
    expect(res.status).toBe(201);
    created = (await res.json()) as AdminProduct;
    expect(structuredClone(created)).toMatchObject({
      id: expect.any(Number),
      slug: "trail-runner-2",
      status: "active",
      category: { slug: "home" },
      price: { amount: 8900, currency: "USD" },
      max_price: { amount: 9900, currency: "USD" },
      in_stock: true,
      variants: [
        { sku: "TRAIL-42", stock: 12, stock_status: "in_stock" },
        { sku: "TRAIL-43", stock: 0, stock_status: "out_of_stock" },
      ],
    });
    expect((await events("product.created")).at(-1)).toMatchObject({
      id: created.id,
      slug: "trail-runner-2",
    });
    const [audit] = await t.database
      .sql`select delta, reason from inventory_adjustments where sku = 'TRAIL-42'`;
    expect(audit).toMatchObject({ delta: 12, reason: "initial stock" });
    const pub = await t.request("/api/catalog/products/trail-runner-2");
    expect(pub.status).toBe(200);
  });

  test("create validation: bad JSON 400, schema 422 with paths, duplicate slug/SKU 409", async () => {
    const bad = await t.request("/api/admin/products", {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: "{ not json",
    });
    expect(bad.status).toBe(400);
    const invalid = await t.request("/api/admin/products", {
      method: "POST",
      headers: admin,
      json: {
        title: "",
        category: "home",
        variants: [
          { sku: "A 1", price: { amount: 1.5, currency: "usd" } },
          { sku: "OK-1", price: { amount: 100, currency: "EUR" }, stock: -1 },
        ],
      },
    });
    expect(invalid.status).toBe(422);
    const paths = ((await invalid.json()) as Problem).errors!.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "title",
        "variants.0.sku",
        "variants.0.price.amount",
        "variants.0.price.currency",
        "variants.1.stock",
      ]),
    );
    const unknownCategory = await t.request("/api/admin/products", {
      method: "POST",
      headers: admin,
      json: { ...newProduct, slug: "other", category: "nope", variants: [] },
    });
    expect(((await unknownCategory.json()) as Problem).errors!.map((e) => e.path)).toEqual(["variants"]);
    const noCategory = await t.request("/api/admin/products", {
      method: "POST",
      headers: admin,
      json: {
        ...newProduct,
        slug: "other",
        category: "nope",
        variants: [{ sku: "ZZ-1", price: { amount: 1, currency: "USD" } }],
      },
    });
    expect(noCategory.status).toBe(422);
    expect(((await noCategory.json()) as Problem).errors!.map((e) => e.path)).toEqual(["category"]);
    const dupSlug = await t.request("/api/admin/products", {
      method: "POST",
      headers: admin,
      json: {
        ...newProduct,
        slug: "trail-runner-2",
        variants: [{ sku: "NEW-1", price: { amount: 1, currency: "USD" } }],
      },
    });
    expect(dupSlug.status).toBe(409);
    const dupSku = await t.request("/api/admin/products", {
      method: "POST",
      headers: admin,
      json: newProduct,
    });
    expect(dupSku.status).toBe(409);
    expect(((await dupSku.json()) as Problem).skus).toEqual(["TRAIL-42", "TRAIL-43"]);
    // Nothing of the failed creates was kept.
    const [n] = await t.database.sql<
      { n: number }[]
    >`select count(*)::int as n from products where title = 'Trail Runner 2'`;
    expect(n!.n).toBe(1);
  });

  test("list and read, with stock per variant; unknown id is 404", async () => {
    const res = await t.request("/api/admin/products?page_size=2", { headers: staff });
    const page = (await res.json()) as Page<AdminProduct>;
    expect(page.total).toBe(4);
    expect(page.items[0]!.slug).toBe("trail-runner-2");
    expect(page.items[0]!.variants[0]!.stock).toBe(12);
    const one = await t.request(`/api/admin/products/${created.id}`, { headers: staff });
    expect(((await one.json()) as AdminProduct).id).toBe(created.id);
    expect((await t.request("/api/admin/products/999999", { headers: staff })).status).toBe(404);
    expect((await t.request("/api/admin/products/abc", { headers: staff })).status).toBe(404);
    expect((await t.request("/api/admin/products?status=gone", { headers: staff })).status).toBe(422);
    const capped = await t.request("/api/admin/products?page_size=500", { headers: staff });
    expect(((await capped.json()) as { page_size: number }).page_size).toBe(100);
  });

  test("a price change is seen at once by another instance, in detail and list", async () => {
    const other = t.instance();
    try {
      const id = await idOf("basic-phone");
      // Warm both instances' view (and the shared cache) with the old price.
      for (const app of [t, other]) {
        expect(
          ((await (await app.request("/api/catalog/products/basic-phone")).json()) as ProductDetail).price
            .amount,
        ).toBe(9900);
        await app.request("/api/catalog/products?sort=price_asc");
      }
      const patch = await t.request(`/api/admin/products/${id}`, {
        method: "PATCH",
        headers: admin,
        json: { variants: [{ sku: "BAS-1", price: { amount: 7900, currency: "USD" } }] },
      });
      expect(patch.status).toBe(200);
      const detail = (await (
        await other.request("/api/catalog/products/basic-phone")
      ).json()) as ProductDetail;
      expect(detail.price.amount).toBe(7900);
      expect(detail.variants[0]!.price.amount).toBe(7900);
      const list = (await (
        await other.request("/api/catalog/products?sort=price_asc")
      ).json()) as Page<ProductListItem>;
      expect(list.items.find((i) => i.slug === "basic-phone")!.price.amount).toBe(7900);
      expect((await events("product.updated")).at(-1)).toMatchObject({ id, slug: "basic-phone" });
    } finally {
      await other.close();
    }
  });

  test("patch fields, slug, stock (audited) and new variants; errors", async () => {
    const res = await t.request(`/api/admin/products/${created.id}`, {
      method: "PATCH",
      headers: admin,
      json: {
        title: "Trail Runner 3",
        slug: "trail-runner-3",
        category: "electronics",
        variants: [
          { sku: "TRAIL-43", stock: 4 },
          { sku: "TRAIL-44", title: "EU 44", price: { amount: 10900, currency: "USD" } },
        ],
      },
    });
    expect(res.status).toBe(200);
    const p = (await res.json()) as AdminProduct;
    expect(p).toMatchObject({
      slug: "trail-runner-3",
      category: { slug: "electronics" },
      max_price: { amount: 10900 },
    });
    expect(p.variants.map((v) => [v.sku, v.stock])).toEqual([
      ["TRAIL-42", 12],
      ["TRAIL-43", 4],
      ["TRAIL-44", 0],
    ]);
    expect((await t.request("/api/catalog/products/trail-runner-2")).status).toBe(404);
    expect((await t.request("/api/catalog/products/trail-runner-3")).status).toBe(200);
    const [audit] = await t.database.sql`select delta from inventory_adjustments where sku = 'TRAIL-43'`;
    expect(audit).toMatchObject({ delta: 4 });

    const taken = await t.request(`/api/admin/products/${created.id}`, {
      method: "PATCH",
      headers: admin,
      json: { slug: "pixel-phone" },
    });
    expect(taken.status).toBe(409);
    const noPrice = await t.request(`/api/admin/products/${created.id}`, {
      method: "PATCH",
      headers: admin,
      json: { variants: [{ sku: "TRAIL-45" }] },
    });
    expect(((await noPrice.json()) as Problem).errors!.map((e) => e.path)).toEqual(["variants.0.price"]);
    const otherSku = await t.request(`/api/admin/products/${created.id}`, {
      method: "PATCH",
      headers: admin,
      json: { variants: [{ sku: "BAS-1", price: { amount: 1, currency: "USD" } }] },
    });
    expect(otherSku.status).toBe(409);
    expect(
      (await t.request("/api/admin/products/424242", { method: "PATCH", headers: admin, json: {} })).status,
    ).toBe(404);
  });

  test("delete archives, hides it from the catalog and records product.archived", async () => {
    const res = await t.request(`/api/admin/products/${created.id}`, { method: "DELETE", headers: admin });
    expect(res.status).toBe(200);
    expect(((await res.json()) as AdminProduct).status).toBe("archived");
    expect((await t.request("/api/catalog/products/trail-runner-3")).status).toBe(404);
    expect((await events("product.archived")).at(-1)).toMatchObject({ id: created.id });
    const archived = (await (
      await t.request("/api/admin/products?status=archived", { headers: admin })
    ).json()) as Page<AdminProduct>;
    expect(archived.items.map((i) => i.id)).toEqual([created.id]);
  });
});

describe("inventory adjust", () => {
  test("adjusts with an audit row and event, and the catalog shows it at once", async () => {
    const before = (await (await t.request("/api/catalog/products/desk-lamp")).json()) as ProductDetail;
    expect(before.in_stock).toBe(false);
    const res = await t.request("/api/admin/inventory/LAMP-1/adjust", {
      method: "POST",
      headers: staff,
      json: { delta: 20, reason: "delivery" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sku: "LAMP-1", stock: 20, stock_status: "in_stock" });
    const after = (await (await t.request("/api/catalog/products/desk-lamp")).json()) as ProductDetail;
    expect(after.in_stock).toBe(true);
    expect(after.variants[0]!.stock_status).toBe("in_stock");
    const list = (await (
      await t.request("/api/catalog/products?in_stock=true")
    ).json()) as Page<ProductListItem>;
    expect(list.items.map((i) => i.slug)).toContain("desk-lamp");
    expect((await events("inventory.changed")).at(-1)).toMatchObject({
      sku: "LAMP-1",
      delta: 20,
      quantity: 20,
    });
    const [audit] = await t.database.sql`
      select delta, quantity_after, reason from inventory_adjustments where sku = 'LAMP-1' order by id desc limit 1`;
    expect(audit).toMatchObject({ delta: 20, quantity_after: 20, reason: "delivery" });
  });

  test("never below zero (409), unknown SKU 404, bad body 422", async () => {
    const below = await t.request("/api/admin/inventory/LAMP-1/adjust", {
      method: "POST",
      headers: staff,
      json: { delta: -21, reason: "shrinkage" },
    });
    expect(below.status).toBe(409);
    expect(await below.json()).toMatchObject({ sku: "LAMP-1", available: 20 });
    const unknown = await t.request("/api/admin/inventory/NOPE-1/adjust", {
      method: "POST",
      headers: staff,
      json: { delta: 1, reason: "x" },
    });
    expect(unknown.status).toBe(404);
    const invalid = await t.request("/api/admin/inventory/LAMP-1/adjust", {
      method: "POST",
      headers: staff,
      json: { delta: 0, reason: "" },
    });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual([
      "delta",
      "reason",
    ]);
  });
});

describe("categories", () => {
  const post = (json: unknown) =>
    t.request("/api/admin/categories", { method: "POST", headers: admin, json });
  const patch = (id: number, json: unknown) =>
    t.request(`/api/admin/categories/${id}`, { method: "PATCH", headers: admin, json });

  test("create, rename, move, and the public tree follows", async () => {
    const garden = await post({ slug: "garden", name: "Garden" });
    expect(garden.status).toBe(201);
    const g = (await garden.json()) as AdminCategory;
    const tools = (await (
      await post({ slug: "tools", name: "Tools", parent_id: g.id })
    ).json()) as AdminCategory;
    expect(tools.parent_id).toBe(g.id);
    const renamed = await patch(g.id, { name: "Garden & Patio" });
    expect(((await renamed.json()) as AdminCategory).name).toBe("Garden & Patio");
    const tree = (await (await t.request("/api/catalog/categories")).json()) as {
      slug: string;
      name: string;
      children: { slug: string }[];
    }[];
    const node = tree.find((c) => c.slug === "garden")!;
    expect(node.name).toBe("Garden & Patio");
    expect(node.children.map((c) => c.slug)).toEqual(["tools"]);
    const home = (await (
      await t.request("/api/admin/categories", { headers: admin })
    ).json()) as AdminCategory[];
    const homeId = home.find((c) => c.slug === "home")!.id;
    expect((await patch(tools.id, { parent_id: homeId })).status).toBe(200);
    expect(
      (await t
        .request(`/api/admin/categories/${tools.id}`, { headers: admin })
        .then((r) => r.json())) as AdminCategory,
    ).toMatchObject({ parent_id: homeId });
  });

  test("cycles are refused; bad input 422; duplicates 409; unknown 404", async () => {
    const all = (await (
      await t.request("/api/admin/categories", { headers: admin })
    ).json()) as AdminCategory[];
    const id = (slug: string) => all.find((c) => c.slug === slug)!.id;
    const cycle = await patch(id("electronics"), { parent_id: id("smartphones") });
    expect(cycle.status).toBe(422);
    expect(((await cycle.json()) as Problem).errors!.map((e) => e.path)).toEqual(["parent_id"]);
    expect((await patch(id("phones"), { parent_id: id("phones") })).status).toBe(422);
    const invalid = await post({ slug: "Bad Slug", name: "" });
    expect(((await invalid.json()) as Problem).errors!.map((e) => e.path).sort()).toEqual(["name", "slug"]);
    expect((await post({ slug: "orphan", name: "Orphan", parent_id: 999999 })).status).toBe(422);
    expect((await post({ slug: "home", name: "Again" })).status).toBe(409);
    expect((await patch(999999, { name: "x" })).status).toBe(404);
  });

  test("delete is 409 with products or children, 204 when empty", async () => {
    const all = (await (
      await t.request("/api/admin/categories", { headers: admin })
    ).json()) as AdminCategory[];
    const id = (slug: string) => all.find((c) => c.slug === slug)!.id;
    expect(
      (await t.request(`/api/admin/categories/${id("phones")}`, { method: "DELETE", headers: admin })).status,
    ).toBe(409);
    expect(
      (await t.request(`/api/admin/categories/${id("garden")}`, { method: "DELETE", headers: admin })).status,
    ).toBe(204);
    expect(
      (await t.request(`/api/admin/categories/${id("garden")}`, { method: "DELETE", headers: admin })).status,
    ).toBe(404);
    const tree = (await (await t.request("/api/catalog/categories")).json()) as { slug: string }[];
    expect(tree.map((c) => c.slug)).not.toContain("garden");
  });
});
