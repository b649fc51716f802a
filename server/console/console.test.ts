import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { jwtSecret } from "../../platform/config.ts";
import { seedFixture } from "../catalog/test-support.ts";
import { checkoutBody, createUsers, fillCart } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";

setDefaultTimeout(60_000);

/** The console's form posts in-process, as a staff member with a session cookie. */
let t: TestApp;
let staffCookie: string;
let staffEmail: string;
let customerCookie: string;
beforeAll(async () => {
  t = await createTestApp({ env: { WEBHOOKS_ALLOW_PRIVATE: "1" } });
  await seedFixture(t.sql);
  const secret = jwtSecret(t.deps.config);
  const [staff] = await createUsers(t.sql, 1, "staff", secret);
  const [customer] = await createUsers(t.sql, 1, "customer", secret);
  staffCookie = `sf_at=${staff!.token}`;
  staffEmail = staff!.email;
  customerCookie = `sf_at=${customer!.token}`;
});
afterAll(() => t.close());

const HOST = "shop.test";
const get = (path: string, cookie = staffCookie) => t.request(path, { headers: { host: HOST, cookie } });
const post = (path: string, form: Record<string, string | string[]>, cookie = staffCookie) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  return t.request(path, { method: "POST", body, headers: { host: HOST, cookie, origin: `http://${HOST}` } });
};

const newProduct = {
  title: "Console Lamp",
  brand: "Lumen",
  category: "home",
  description: "Made in the console.",
  images: "https://images.example.com/lamp-1.jpg\n/media/products/1.svg",
  sku: "CON-LAMP-1",
  variant_title: "Brass",
  amount: "4500",
  currency: "USD",
  stock: "3",
};

describe("products", () => {
  let id = "";
  test("a staff member creates a product with images by URL; a refused form answers 422 with the reasons", async () => {
    const bad = await post("/admin/products/new", { ...newProduct, amount: "-1" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("amount");
    const dup = await post("/admin/products/new", { ...newProduct, sku: "PIX-128" });
    expect([409, 422]).toContain(dup.status);

    const r = await post("/admin/products/new", newProduct);
    expect(r.status).toBe(303);
    id = r.headers.get("location")!.match(/\/admin\/products\/(\d+)\?done=created/)![1]!;
    const api = await t.request(`/api/catalog/products/console-lamp`);
    const p = (await api.json()) as { images: string[]; variants: { sku: string; title: string }[] };
    expect(p.images).toEqual(["https://images.example.com/lamp-1.jpg", "/media/products/1.svg"]);
    expect(p.variants).toMatchObject([{ sku: "CON-LAMP-1", title: "Brass" }]);
  });

  test("variants are edited and added; details save", async () => {
    const v = await post(`/admin/products/${id}/price`, {
      sku: "CON-LAMP-1",
      title: "Polished brass",
      amount: "4900",
      currency: "USD",
    });
    expect(v.status).toBe(303);
    const add = await post(`/admin/products/${id}/variants`, {
      sku: "CON-LAMP-2",
      title: "Steel",
      amount: "3900",
      currency: "USD",
    });
    expect(add.status).toBe(303);
    const details = await post(`/admin/products/${id}/details`, {
      title: "Console Lamp",
      brand: "Lumen",
      category: "home",
      description: "Edited.",
      images: "https://images.example.com/lamp-2.jpg",
    });
    expect(details.status).toBe(303);
    const p = (await (await t.request(`/api/catalog/products/console-lamp`)).json()) as {
      description: string;
      images: string[];
      variants: { sku: string; title: string; price: { amount: number } }[];
    };
    expect(p.description).toBe("Edited.");
    expect(p.images).toEqual(["https://images.example.com/lamp-2.jpg"]);
    expect(p.variants.map((x) => [x.sku, x.title, x.price.amount])).toEqual([
      ["CON-LAMP-1", "Polished brass", 4900],
      ["CON-LAMP-2", "Steel", 3900],
    ]);
    const badImage = await post(`/admin/products/${id}/details`, {
      title: "Console Lamp",
      category: "home",
      images: "javascript:alert(1)",
    });
    expect(badImage.status).toBe(422);
  });

  test("a stock adjustment shows in the audit list with who, delta and reason; below zero answers 409", async () => {
    const r = await post(`/admin/products/${id}/stock`, {
      sku: "CON-LAMP-2",
      delta: "7",
      reason: "delivery 42",
    });
    expect(r.status).toBe(303);
    const html = await (await get(`/admin/products/${id}`)).text();
    const audit = html.slice(html.indexOf("data-audit"));
    expect(audit).toContain(staffEmail);
    expect(audit).toContain("+7");
    expect(audit).toContain("delivery 42");
    const below = await post(`/admin/products/${id}/stock`, {
      sku: "CON-LAMP-2",
      delta: "-100",
      reason: "x",
    });
    expect(below.status).toBe(409);
    expect(await below.text()).toContain("below zero");
  });
});

test("categories: created, listed and edited; a taken slug answers 409", async () => {
  const r = await post("/admin/categories", { name: "Garden", slug: "garden", parent_id: "", position: "3" });
  expect(r.status).toBe(303);
  const list = await (await get("/admin/categories")).text();
  expect(list).toContain("Garden");
  const [row] = await t.sql<{ id: string }[]>`select id from categories where slug = 'garden'`;
  const edit = await post(`/admin/categories/${row!.id}`, {
    name: "Garden & patio",
    slug: "garden",
    parent_id: "",
    position: "4",
  });
  expect(edit.status).toBe(303);
  expect(await (await get(`/admin/categories/${row!.id}`)).text()).toContain("Garden &amp; patio");
  const taken = await post("/admin/categories", {
    name: "Again",
    slug: "garden",
    parent_id: "",
    position: "0",
  });
  expect(taken.status).toBe(409);
});

test("an order is refunded from the console: its payment is marked refunded", async () => {
  const [buyer] = await createUsers(t.sql, 1, "customer", jwtSecret(t.deps.config));
  await fillCart(t, buyer!, "BAS-1", 1);
  const placed = await t.request("/api/checkout", {
    method: "POST",
    token: buyer!.token,
    key: crypto.randomUUID(),
    json: checkoutBody(),
  });
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as { id: string; status: string };
  expect(order.status).toBe("paid");
  expect(await (await get("/admin/orders")).text()).toContain(`/admin/orders/${order.id}/refund`);
  const r = await post(`/admin/orders/${order.id}/refund`, {});
  expect(r.status).toBe(303);
  expect(r.headers.get("location")).toBe("/admin/orders?done=refunded");
  const [row] = await t.sql<{ status: string; payment: string }[]>`
    select o.status, p.status as payment from orders o join payments p on p.order_id = o.id where o.id = ${order.id}`;
  expect(row).toEqual({ status: "refunded", payment: "refunded" });
  const again = await post(`/admin/orders/${order.id}/refund`, {});
  expect(again.status).toBe(409);
});

test("webhooks: created (secret shown once), listed, with a deliveries page", async () => {
  const bad = await post("/admin/webhooks", { url: "http://127.0.0.1:9/hook" });
  expect(bad.status).toBe(422);
  const r = await post("/admin/webhooks", {
    url: "http://127.0.0.1:9/hook",
    events: ["order.paid", "inventory.changed"],
  });
  expect(r.status).toBe(200);
  const html = await r.text();
  expect(html).toMatch(/<code>whsec_[\w-]+<\/code>/);
  const id = html.match(/href="\/admin\/webhooks\/([0-9a-f-]{36})"/)![1]!;
  const list = await (await get("/admin/webhooks")).text();
  expect(list).toContain("order.paid, inventory.changed");
  expect(list).not.toContain("whsec_");
  await t.sql`insert into webhook_deliveries (endpoint_id, event_id, event_type, attempt, status_code, duration_ms)
              values (${id}, ${crypto.randomUUID()}, 'order.paid', 1, 204, 12)`;
  const deliveries = await (await get(`/admin/webhooks/${id}`)).text();
  expect(deliveries).toContain('data-status-code="204"');
});

test("the console is for staff: customers get 403, visitors are sent to sign in", async () => {
  expect((await get("/admin/categories", customerCookie)).status).toBe(403);
  expect((await post("/admin/categories", { name: "x", slug: "x" }, customerCookie)).status).toBe(403);
  const anon = await t.request("/admin/webhooks", { headers: { host: HOST } });
  expect(anon.status).toBe(303);
  expect(anon.headers.get("location")).toBe("/signin?next=%2Fadmin%2Fwebhooks");
});

test("a cross-site console post is refused", async () => {
  const r = await t.request("/admin/categories", {
    method: "POST",
    body: new URLSearchParams({ name: "Evil", slug: "evil" }),
    headers: { host: HOST, cookie: staffCookie, origin: "https://evil.example" },
  });
  expect(r.status).toBe(403);
});

test("pricing advice: staff ask for a suggestion, see its reasons, and accept it once", async () => {
  const [v] = await t.sql<{ sku: string }[]>`select sku from variants order by id limit 1`;
  const asked = await post("/admin/pricing/advice", { sku: v!.sku });
  expect(asked.headers.get("location")).toBe("/admin/pricing?done=asked");
  expect((await post("/admin/pricing/advice", { sku: "not a sku!" })).headers.get("location")).toBe(
    "/admin/pricing?done=error",
  );
  const [advice] = await t.sql<{ id: string; reasons: string[] }[]>`
    select id, reasons from pricing_advice where sku = ${v!.sku}`;
  const page = await (await get("/admin/pricing")).text();
  expect(page).toContain(`data-advice="${advice!.id}"`);
  expect(advice!.reasons.length).toBeGreaterThan(0);
  expect(page).toContain(Bun.escapeHTML(advice!.reasons[0]!));
  expect(page).toContain(`/admin/pricing/${advice!.id}`);
  const bad = await post(`/admin/pricing/${advice!.id}`, { decision: "maybe" });
  expect(bad.headers.get("location")).toBe("/admin/pricing?done=error");
  const ok = await post(`/admin/pricing/${advice!.id}`, { decision: "accepted", note: "fine" });
  expect(ok.headers.get("location")).toBe("/admin/pricing?done=accepted");
  const [row] = await t.sql<{ decision: string; decided_by: string | null }[]>`
    select decision, decided_by from pricing_advice where id = ${advice!.id}`;
  expect(row!.decision).toBe("accepted");
  expect(row!.decided_by).not.toBeNull();
  const again = await post(`/admin/pricing/${advice!.id}`, { decision: "rejected" });
  expect(again.headers.get("location")).toBe("/admin/pricing?done=error");
  expect(await (await get("/admin/pricing")).text()).toContain('data-decision="accepted"');
  expect((await get("/admin/pricing", customerCookie)).status).toBe(403);
  const crossSite = await t.request(`/admin/pricing/${advice!.id}`, {
    method: "POST",
    body: new URLSearchParams({ decision: "rejected" }),
    headers: { host: HOST, cookie: staffCookie, origin: "https://evil.example" },
  });
  expect(crossSite.status).toBe(403);
});
