import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { until } from "../../platform/testing/until.ts";
import {
  JS_BUDGET_BYTES,
  launchChromium,
  navigates,
  scriptBytes,
  seriousViolations,
  shot,
  watchErrors,
} from "./checks.ts";
import { signInAsStaff, type TourKit } from "./console-tour.ts";
import { type Stack, startStack } from "./stack.ts";

setDefaultTimeout(60_000);

/**
 * The intelligence services' pages in a real browser against the whole stack
 * (proxy, app, workers with their consumers): the product page's "Bought
 * together" after co-purchases planted through the API and counted by the
 * workers' recommend consumer, "Similar products" after a product change, the
 * fraud review queue with an order the rules held, the low-stock forecast and
 * the pricing advice page. Screenshots go to .artifacts/browser/ (ai-*).
 */
let stack: Stack;
let browser: Browser;
const errors: string[] = [];
const report: { page: string; violations: number; jsBytes: number; screenshot: string }[] = [];
const password = "correct horse battery";

beforeAll(async () => {
  stack = await startStack({ products: 40, instances: 1 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  console.log(
    report
      .map(
        (r) => `${r.page.padEnd(20)} axe serious/critical=${r.violations} js=${r.jsBytes}B ${r.screenshot}`,
      )
      .join("\n"),
  );
});

async function newPage(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  watchErrors(page, errors);
  return page;
}

/** Screenshot, no serious/critical axe violation, JS budget. */
async function checkPage(page: Page, name: string) {
  const screenshot = await shot(page, name);
  const violations = await seriousViolations(page);
  const jsBytes = await scriptBytes(page);
  report.push({ page: name, violations: violations.length, jsBytes, screenshot });
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  expect(jsBytes).toBeLessThanOrEqual(JS_BUDGET_BYTES);
}

/** A JSON call through the proxy. */
async function api(
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; key?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.key) headers["idempotency-key"] = opts.key;
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    ...(opts.json === undefined ? {} : { body: JSON.stringify(opts.json) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Registers a shopper through the API; returns the access token. */
async function register(tag: string): Promise<{ token: string; email: string }> {
  const email = `${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const r = await api("POST", "/api/auth/register", { json: { email, password, name: tag } });
  expect(r.status).toBe(201);
  return { token: r.body.access_token as string, email };
}

const address = {
  name: "Ada Buyer",
  line1: "1 Main St",
  city: "Springfield",
  postal_code: "12345",
  country: "US",
};

/** Fills the shopper's cart with `skus` (one each) and checks out paying with `card`. */
async function order(
  token: string,
  skus: string[],
  card = "tok_visa",
): Promise<{ status: number; body: Record<string, unknown> }> {
  for (const sku of skus) {
    const add = await api("POST", "/api/cart/items", { token, json: { sku, quantity: 1 } });
    expect([200, 201]).toContain(add.status);
  }
  return api("POST", "/api/checkout", {
    token,
    key: crypto.randomUUID(),
    json: { shipping_address: address, payment: { method: "test_card", token: card } },
  });
}

/** The product page's recommendation section `id` as its cards' slugs (anonymous: the cached page). */
async function section(slug: string, id: string): Promise<string[] | null> {
  const html = await (await fetch(`${stack.url}/p/${slug}`)).text();
  const start = html.indexOf(`data-recommend="${id}"`);
  if (start < 0) return null;
  const part = html.slice(start, html.indexOf("</section>", start));
  return [...part.matchAll(/href="\/p\/([a-z0-9-]+)"/g)].map((m) => m[1]!);
}

/** A poll's answer, at most four a second (until polls every 25 ms; these are whole pages). */
async function paced<T>(p: Promise<T>): Promise<T> {
  const [v] = await Promise.all([p, Bun.sleep(250)]);
  return v;
}

interface Planted {
  a: { slug: string; sku: string; id: string };
  b: { slug: string; sku: string; brand: string };
}
let planted: Planted;

test("the product page shows bought together after co-purchases and similar products after a change", async () => {
  const rows = await stack.database.sql<{ id: string; slug: string; sku: string; brand: string }[]>`
    select distinct on (p.id) p.id, p.slug, p.brand, v.sku from products p
    join variants v on v.product_id = p.id join inventory i on i.sku = v.sku
    where p.status = 'active' and i.quantity >= 10 order by p.id, v.id limit 2`;
  expect(rows.length).toBe(2);
  planted = { a: rows[0]!, b: rows[1]! };
  const { a, b } = planted;
  expect(await section(a.slug, "bought-together")).toBeNull(); // and now cached without it

  // two orders hold both products: the minimum support (REC_MIN_SUPPORT, 2)
  for (const tag of ["pair-one", "pair-two"]) {
    const buyer = await register(tag);
    const r = await order(buyer.token, [a.sku, b.sku]);
    expect(r.status).toBe(201);
    expect(r.body.status).toBe("paid");
  }
  // the workers' recommend consumer counts the orders and raises the page's generation
  await until(
    async () => (await paced(section(a.slug, "bought-together")))?.includes(b.slug) === true,
    "bought together on the product page",
    45_000,
  );

  // a product change reaches the consumer, which computes the similar list (the small seeded
  // catalog has one product per category: giving A the brand of B makes B a candidate)
  const staff = await register("ai-admin");
  await stack.database.sql`update users set role = 'admin' where email = ${staff.email}`;
  const login = await api("POST", "/api/auth/login", { json: { email: staff.email, password } });
  const patch = await api("PATCH", `/api/admin/products/${a.id}`, {
    token: login.body.access_token as string,
    json: { brand: b.brand },
  });
  expect(patch.status).toBe(200);
  await until(
    async () => (await paced(section(a.slug, "similar")))?.includes(b.slug) === true,
    "similar products on the product page",
    45_000,
  );

  const ctx = await browser.newContext();
  const page = await newPage(ctx);
  await page.goto(`${stack.url}/p/${a.slug}`);
  await page.locator(`[data-recommend="bought-together"] a[href="/p/${b.slug}"]`).first().waitFor();
  expect(await page.locator('[data-recommend="similar"] .card').count()).toBeGreaterThan(0);
  await checkPage(page, "ai-01-product-recommendations");
  await ctx.close();
}, 180_000);

test("staff see the order the fraud rules held and approve it; forecast and pricing advice pages render", async () => {
  // declines from one account (and one address) then a paid attempt: two rules together cross 0.6
  const suspect = await register("suspect");
  for (let i = 0; i < 3; i++) {
    const declined = await order(suspect.token, i === 0 ? [planted.b.sku] : [], "tok_decline");
    expect(declined.status).toBe(402);
  }
  const held = await order(suspect.token, [], "tok_visa");
  expect(held.status).toBe(201);
  expect(held.body.status).toBe("review");
  const orderId = held.body.id as string;

  const kit: TourKit = { stack, browser, newPage, checkPage };
  const staff = await signInAsStaff(kit);
  const page = staff.page;
  await page.goto(`${stack.url}/admin/fraud`);
  const row = page.locator(`tr[data-order="${orderId}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain("account_declines");
  await checkPage(page, "ai-02-console-fraud");
  await navigates(page, () => row.locator('button[value="approve"]').click(), /\/admin\/fraud\?done=approve/);
  await page.locator("text=Order approved.").waitFor();
  const [o] = await stack.database.sql<{ status: string }[]>`select status from orders where id = ${orderId}`;
  expect(o!.status).toBe("paid");

  await page.goto(`${stack.url}/admin/forecast`);
  await page.locator("h1", { hasText: "Low stock" }).waitFor();
  await checkPage(page, "ai-03-console-forecast");

  await page.goto(`${stack.url}/admin/pricing`);
  await page.fill("#advice-sku", planted.a.sku);
  await navigates(page, () => page.click("text=Ask for a suggestion"), /\/admin\/pricing\?done=asked/);
  const advice = page.locator("tr[data-advice]").first();
  await advice.waitFor();
  expect(await advice.textContent()).toContain(planted.a.sku);
  await checkPage(page, "ai-04-console-pricing");
  await navigates(page, () => advice.locator('button[value="accepted"]').click(), /done=accepted/);
  await page.locator('[data-decision="accepted"]').first().waitFor();
  await shot(page, "ai-05-console-pricing-accepted");
  await staff.close();
}, 180_000);

test("no page logged a console error", () => {
  expect(errors).toEqual([]);
});
