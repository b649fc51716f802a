import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { loads, seedFixture } from "../catalog/test-support.ts";
import { userWithToken } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";

// bun applies the preload's default timeout to the first file of a run only.
setDefaultTimeout(60_000);

/** The storefront pages in-process (the browser tests in scripts/browser/ drive them through the proxy). */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedFixture(t.sql);
});
afterAll(() => t.close());

const page = (path: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { host: "shop.test", ...(init.headers as Record<string, string>) } });

/** The JSON-LD documents of a page. */
function jsonLd(html: string): { "@type": string; [k: string]: unknown }[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map((m) =>
    JSON.parse(m[1]!),
  );
}

describe("SEO", () => {
  test("a product page has title, description, canonical, Open Graph, JSON-LD Product and BreadcrumbList", async () => {
    const r = await page("/p/pixel-phone");
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain("<title>pixel phone · Commerce</title>");
    expect(html).toContain('<meta name="description" content="A fine thing"/>');
    expect(html).toContain('<link rel="canonical" href="http://shop.test/p/pixel-phone"/>');
    expect(html).toContain('<meta property="og:type" content="product"/>');
    const docs = jsonLd(html);
    const product = docs.find((d) => d["@type"] === "Product") as unknown as {
      offers: { price: string; availability: string }[];
    };
    expect(product.offers.map((o) => [o.price, o.availability])).toEqual([
      ["499.00", "https://schema.org/InStock"],
      ["599.00", "https://schema.org/OutOfStock"],
    ]);
    const crumbs = docs.find((d) => d["@type"] === "BreadcrumbList") as unknown as {
      itemListElement: { name: string }[];
    };
    expect(crumbs.itemListElement.map((i) => i.name)).toEqual(["Home", "Smartphones", "pixel phone"]);
    // the out-of-stock variant cannot be chosen
    expect(html).toMatch(/value="PIX-256"[^>]*disabled/);
  });

  test("robots.txt points at the sitemap, which lists categories and products", async () => {
    expect(await (await page("/robots.txt")).text()).toContain("Sitemap: http://shop.test/sitemap.xml");
    const xml = await (await page("/sitemap.xml")).text();
    expect(xml).toContain("<loc>http://shop.test/c/smartphones</loc>");
    expect(xml).toContain("<loc>http://shop.test/p/pixel-phone</loc>");
  });

  test("an unknown product is a 404 page", async () => {
    const r = await page("/p/no-such-thing");
    expect(r.status).toBe(404);
    expect(await r.text()).toContain("Not found");
  });
});

test("category listing keeps filters in the URL and shows brand facets", async () => {
  const html = await (await page("/c/electronics?brand=Globex&sort=price_asc")).text();
  expect(html).toContain('<option value="Globex" selected="">');
  expect(html).toContain("pixel phone");
  expect(html).not.toContain("basic phone"); // Acme
});

test("a misspelt search says the typo-tolerant match was used", async () => {
  const html = await (await page("/search?q=pixle")).text();
  expect(html).toContain("No exact matches for “pixle”");
  expect(html).toContain("pixel phone");
  const exact = await (await page("/search?q=pixel")).text();
  expect(exact).not.toContain("No exact matches");
});

test("an anonymous product page is served from the cache until a price change, then shows the new price", async () => {
  await page("/p/basic-phone");
  const before = loads(t.deps, "page");
  expect(await (await page("/p/basic-phone")).text()).toContain("$99.00");
  expect(loads(t.deps, "page")).toBe(before); // a hit: not rendered again
  const admin = await userWithToken(t, "admin");
  const [row] = await t.sql<{ id: string }[]>`select id from products where slug = 'basic-phone'`;
  const patch = await t.request(`/api/admin/products/${row!.id}`, {
    method: "PATCH",
    headers: admin.headers,
    json: { variants: [{ sku: "BAS-1", price: { amount: 12345, currency: "USD" } }] },
  });
  expect(patch.status).toBe(200);
  expect(await (await page("/p/basic-phone")).text()).toContain("$123.45");
});

describe("forms", () => {
  test("a cross-site form post is refused; a same-site one is served", async () => {
    const body = new URLSearchParams({ sku: "BAS-1", quantity: "1" });
    const evil = await page("/cart/add", {
      method: "POST",
      body,
      headers: { origin: "https://evil.example" },
    });
    expect(evil.status).toBe(403);
    const ok = await page("/cart/add", { method: "POST", body, headers: { origin: "http://shop.test" } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/cart");
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith("sf_cart="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    const cart = await (await page("/cart", { headers: { cookie: cookie.split(";")[0]! } })).text();
    expect(cart).toContain("basic phone");
  });

  test("sign-in sets HttpOnly session cookies; checkout needs them", async () => {
    const anon = await page("/checkout");
    expect(anon.status).toBe(303);
    expect(anon.headers.get("location")).toBe("/signin?next=/checkout");
    const email = `form-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const reg = await page("/register", {
      method: "POST",
      body: new URLSearchParams({ name: "Form", email, password: "correct horse battery", next: "/account" }),
      headers: { origin: "http://shop.test" },
    });
    expect(reg.status).toBe(303);
    const cookies = reg.headers.getSetCookie();
    expect(cookies.filter((c) => /^sf_(at|rt)=/.test(c) && c.includes("HttpOnly")).length).toBe(2);
    const jar = cookies.map((c) => c.split(";")[0]).join("; ");
    const account = await page("/account", { headers: { cookie: jar } });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain(`Signed in as ${email}`);
  });
});

describe("errors answer 4xx", () => {
  test("a path no route knows is a 404 page for a browser and a problem document for the API", async () => {
    const html = await page("/no/such/page", { headers: { accept: "text/html" } });
    expect(html.status).toBe(404);
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(await html.text()).toContain("Not found");
    const api = await page("/api/nope", { headers: { accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
  });

  test("a refused sign-in or registration shows the form again with 401/409/422, not 200", async () => {
    const post = (path: string, form: Record<string, string>) =>
      page(path, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { origin: "http://shop.test" },
      });
    const wrong = await post("/signin", { email: "nobody@example.com", password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Email or password is wrong.");
    expect((await post("/signin", { email: "", password: "" })).status).toBe(422);
    const email = `dup-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const form = { name: "Dup", email, password: "correct horse battery" };
    expect((await post("/register", form)).status).toBe(303);
    const again = await post("/register", form);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already exists");
  });
});

describe("page cache and the Host header", () => {
  test("one cached entry serves every Host, each answer with its own origin; a malformed Host becomes localhost", async () => {
    await page("/p/pixel-phone");
    const before = loads(t.deps, "page");
    const other = await t.request("/p/pixel-phone", {
      headers: { host: `h${crypto.randomUUID().slice(0, 6)}.example` },
    });
    const html = await other.text();
    expect(loads(t.deps, "page")).toBe(before); // a hit: a new Host is not a new entry
    expect(html).toMatch(/<link rel="canonical" href="http:\/\/h\w{6}\.example\/p\/pixel-phone"\/>/);
    expect(html).not.toContain("shop.test");
    expect(html).not.toContain(".invalid");
    const evil = await t.request("/p/pixel-phone", { headers: { host: 'x"><script>alert(1)</script>' } });
    const evilHtml = await evil.text();
    expect(evilHtml).not.toContain("<script>alert(1)");
    expect(evilHtml).toContain('href="http://localhost/p/pixel-phone"');
  });

  test("unknown or reordered listing parameters share one entry", async () => {
    await page("/c/electronics?brand=Globex&sort=price_asc");
    const before = loads(t.deps, "page");
    await page("/c/electronics?sort=price_asc&brand=Globex&utm_source=x");
    await page(`/c/electronics?brand=Globex&sort=price_asc&junk=${crypto.randomUUID()}`);
    expect(loads(t.deps, "page")).toBe(before);
  });
});

test("the gallery: ?image=N shows that view large, each thumbnail is a plain link", async () => {
  const [row] = await t.sql<{ id: string }[]>`select id from products where slug = 'pixel-phone'`;
  const admin = await userWithToken(t, "admin");
  const patch = await t.request(`/api/admin/products/${row!.id}`, {
    method: "PATCH",
    headers: admin.headers,
    json: { images: ["/media/products/1.svg", "/media/products/2.svg", "/media/products/3.svg"] },
  });
  expect(patch.status).toBe(200);
  const first = await (await page("/p/pixel-phone")).text();
  expect(first).toMatch(/<img class="gallery-main" src="\/media\/products\/1\.svg"/);
  expect(first).toContain('<a href="/p/pixel-phone?image=2" data-gallery-thumb="2">');
  const third = await (await page("/p/pixel-phone?image=2")).text();
  expect(third).toMatch(
    /<img class="gallery-main" src="\/media\/products\/3\.svg" alt="pixel phone, view 3 of 3"/,
  );
  expect(third).toContain('<a href="/p/pixel-phone?image=2" aria-current="true" data-gallery-thumb="2">');
  // out of range: the first view (and the canonical URL never carries the parameter)
  const junk = await (await page("/p/pixel-phone?image=9999")).text();
  expect(junk).toMatch(/<img class="gallery-main" src="\/media\/products\/1\.svg"/);
  expect(junk).toContain('<link rel="canonical" href="http://shop.test/p/pixel-phone"/>');
});

test("a cached page goes out gzipped when the client accepts it (the proxy passes it through), plain otherwise", async () => {
  const plain = await page("/p/pixel-phone");
  const text = await plain.text();
  expect(plain.headers.get("content-encoding")).toBeNull();
  const gz = await page("/p/pixel-phone", { headers: { "accept-encoding": "gzip, br" } });
  expect(gz.headers.get("content-encoding")).toBe("gzip");
  expect(gz.headers.get("vary")).toBe("Accept-Encoding");
  const { gunzipSync } = await import("node:zlib");
  expect(gunzipSync(new Uint8Array(await gz.arrayBuffer())).toString()).toBe(text);
});
