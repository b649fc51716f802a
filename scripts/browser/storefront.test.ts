import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  JS_BUDGET_BYTES,
  launchChromium,
  navigates,
  scriptBytes,
  seriousViolations,
  shot,
  watchErrors,
} from "./checks.ts";
import {
  categorySteps,
  productSteps,
  refundSteps,
  signInAsStaff,
  systemSteps,
  type TourKit,
  webhookSteps,
} from "./console-tour.ts";
import { type Stack, startStack } from "./stack.ts";

// bun applies the preload's default timeout to the first file of a run only.
setDefaultTimeout(60_000);

/**
 * The storefront and console in a real browser (Debian's Chromium through
 * playwright-core) against the whole stack started as the README says
 * (`scripts/dev.ts`: proxy, two app instances, workers) on free ports.
 * Screenshots go to .artifacts/browser/.
 */
let stack: Stack;
let browser: Browser;
const errors: string[] = [];
const report: { page: string; violations: number; jsBytes: number; screenshot: string }[] = [];

beforeAll(async () => {
  stack = await startStack({ products: 60, instances: 2 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  console.log(
    report
      .map(
        (r) => `${r.page.padEnd(14)} axe serious/critical=${r.violations} js=${r.jsBytes}B ${r.screenshot}`,
      )
      .join("\n"),
  );
});

async function newPage(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  watchErrors(page, errors);
  return page;
}

/** The per-page-type checks: screenshot, no serious/critical axe violation, JS budget. */
async function checkPage(page: Page, name: string) {
  const screenshot = await shot(page, name);
  const violations = await seriousViolations(page);
  const jsBytes = await scriptBytes(page);
  report.push({ page: name, violations: violations.length, jsBytes, screenshot });
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  expect(jsBytes).toBeLessThanOrEqual(JS_BUDGET_BYTES);
}

async function fillAddress(page: Page, card: string) {
  await page.fill("#co-name", "Ada Shopper");
  await page.fill("#co-line1", "1 Test Street");
  await page.fill("#co-city", "Springfield");
  await page.fill("#co-postal_code", "12345");
  await page.fill("#co-country", "US");
  await page.fill("#co-card", card);
}

/** The shopper's orders: all of them, and those paid (a declined attempt is recorded, then cancelled). */
async function ordersOf(email: string): Promise<{ all: number; paid: number }> {
  const [row] = await stack.database.sql<{ all: number; paid: number }[]>`
    select count(*)::int as all, (count(*) filter (where o.status = 'paid'))::int as paid
    from orders o join users u on u.id = o.user_id where u.email = ${email}`;
  return row!;
}

/** A title word with its last two letters swapped: what a hurried shopper types. */
function misspell(title: string): string {
  const word = title.split(/\s+/).find((w) => /^[a-z]{5,}$/i.test(w)) ?? title.split(/\s+/)[0]!;
  return `${word.slice(0, -2)}${word.at(-1)}${word.at(-2)}`.toLowerCase();
}

const email = `shopper-${crypto.randomUUID().slice(0, 8)}@example.com`;
const password = "correct horse battery";
let productUrl = "";
let productSlug = "";

test("a shopper browses, filters, adds to the cart, searches misspelt, registers, pays, sees and cancels the order", async () => {
  const ctx = await browser.newContext();
  const page = await newPage(ctx);
  await page.goto(`${stack.url}/`);
  expect(await page.title()).toContain("Commerce");
  await checkPage(page, "01-home");

  await navigates(page, () => page.locator(".cats a").first().click(), /\/c\//);
  await checkPage(page, "02-category");
  await page.check("input[name=in_stock]");
  await page.selectOption("#f-brand", { index: 1 });
  await navigates(
    page,
    () => page.click("form.filters button[type=submit]"),
    /brand=.*in_stock=true|in_stock=true.*brand=/,
  );
  expect(await page.locator(".grid .card").count()).toBeGreaterThan(0);
  await shot(page, "03-category-filtered");

  await navigates(page, () => page.locator(".grid .card a").first().click(), /\/p\//);
  productUrl = page.url();
  productSlug = new URL(productUrl).pathname.split("/")[2]!;
  const title = (await page.locator("h1").textContent())!;
  await checkPage(page, "04-product");
  await page.click("form[data-add-to-cart] button[type=submit]");
  await page.locator(".add-status", { hasText: "Added" }).waitFor();
  expect(page.url()).toBe(productUrl); // no reload: the script added it
  await expect(page.locator("[data-cart-link]").textContent()).resolves.toBe("Cart (1)");

  // autocomplete: suggestions appear while typing and are reachable with the keyboard
  await page.locator("#q").pressSequentially(title.slice(0, 4).toLowerCase(), { delay: 50 });
  await page.locator("#q-suggestions a").first().waitFor();
  await page.press("#q", "ArrowDown");
  expect(await page.evaluate("document.activeElement.closest('#q-suggestions') !== null")).toBe(true);
  await page.press("#q-suggestions a >> nth=0", "Escape");

  await page.fill("#q", misspell(title));
  await navigates(page, () => page.press("#q", "Enter"), /\/search\?/);
  await page.locator("[data-fuzzy]").waitFor();
  expect(await page.locator(".grid .card").count()).toBeGreaterThan(0);
  await checkPage(page, "05-search-misspelt");

  await page.goto(`${stack.url}/cart`);
  expect(await page.locator("table.cart tbody tr").count()).toBe(1);
  await checkPage(page, "06-cart");
  await navigates(page, () => page.click("text=Go to checkout"), /\/signin\?next=/);
  await checkPage(page, "07-signin");
  await navigates(page, () => page.click("text=Create an account"), /\/register/);
  await checkPage(page, "08-register");
  await page.fill("#a-name", "Ada Shopper");
  await page.fill("#a-email", email);
  await page.fill("#a-password", password);
  await navigates(page, () => page.click("form.auth button[type=submit]"), /\/checkout$/);
  await checkPage(page, "09-checkout");
  await fillAddress(page, "tok_visa");
  await navigates(page, () => page.click("[data-place-order]"), /\/account\/orders\/[0-9a-f-]{36}\?placed=1/);
  await page.locator("text=Thank you").waitFor();
  await checkPage(page, "10-order-placed");
  expect(await ordersOf(email)).toEqual({ all: 1, paid: 1 });

  await page.goto(`${stack.url}/account`);
  expect(await page.locator("table.orders tbody tr").count()).toBe(1);
  await checkPage(page, "11-account");
  await page.locator("table.orders a").first().click();
  await page.click("text=Cancel this order");
  await page.locator("[data-order-status]", { hasText: "cancelled" }).waitFor();
  await shot(page, "12-order-cancelled");
  await ctx.close();
}, 240_000);

test("a declined card says so and leaves the cart; a double click on Place order makes one order", async () => {
  const ctx = await browser.newContext();
  const page = await newPage(ctx);
  await page.goto(`${stack.url}/signin`);
  await page.fill("#a-email", email);
  await page.fill("#a-password", password);
  await navigates(page, () => page.click("form.auth button[type=submit]"), /\/account$/);
  await page.goto(productUrl);
  await page.click("form[data-add-to-cart] button[type=submit]");
  await page.locator(".add-status", { hasText: "Added" }).waitFor();
  await page.goto(`${stack.url}/cart`);
  const before = await page.locator("table.cart tbody").textContent();

  await page.goto(`${stack.url}/checkout`);
  await fillAddress(page, "tok_decline");
  await page.click("[data-place-order]");
  await page.locator("[data-checkout-error]", { hasText: "declined" }).waitFor();
  await checkPage(page, "13-checkout-declined");
  const afterDecline = await ordersOf(email);
  expect(afterDecline.paid).toBe(0); // the first order was cancelled, the declined one never paid
  await page.goto(`${stack.url}/cart`);
  expect(await page.locator("table.cart tbody").textContent()).toBe(before);

  // with the script: the second click is swallowed
  await page.goto(`${stack.url}/checkout`);
  await fillAddress(page, "tok_visa");
  await navigates(
    page,
    () => page.dblclick("[data-place-order]"),
    /\/account\/orders\/[0-9a-f-]{36}\?placed=1/,
  );
  expect(await ordersOf(email)).toEqual({ all: afterDecline.all + 1, paid: 1 });
  await ctx.close();

  // without it: both posts reach the server with the form's one idempotency key
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await newPage(plain);
  await p2.goto(`${stack.url}/signin`);
  await p2.fill("#a-email", email);
  await p2.fill("#a-password", password);
  await navigates(p2, () => p2.click("form.auth button[type=submit]"), /\/account$/);
  await p2.goto(productUrl);
  await navigates(p2, () => p2.click("form[data-add-to-cart] button[type=submit]"), /\/cart$/);
  await p2.goto(`${stack.url}/checkout`);
  await fillAddress(p2, "tok_visa");
  await navigates(p2, () => p2.dblclick("[data-place-order]"), /\/account\/orders\/[0-9a-f-]{36}\?placed=1/);
  expect(await ordersOf(email)).toEqual({ all: afterDecline.all + 2, paid: 2 });

  // The same rendered form posted twice at once (what a browser does when the first submit is
  // slow and the shopper clicks again): one order, both answers point at it.
  await p2.goto(productUrl);
  await navigates(p2, () => p2.click("form[data-add-to-cart] button[type=submit]"), /\/cart$/);
  await p2.goto(`${stack.url}/checkout`);
  await fillAddress(p2, "tok_visa");
  const form: Record<string, string> = {};
  for (const input of await p2.locator("form[data-checkout] input").all()) {
    form[(await input.getAttribute("name"))!] = await input.inputValue();
  }
  const post = () =>
    p2.request.post(`${stack.url}/checkout`, { form, headers: { origin: stack.url }, maxRedirects: 0 });
  const [a, b] = await Promise.all([post(), post()]);
  expect([a.status(), b.status()]).toEqual([303, 303]);
  expect(a.headers().location).toMatch(/^\/account\/orders\/[0-9a-f-]{36}\?placed=1$/);
  expect(b.headers().location).toBe(a.headers().location);
  // and once more after both answered (a click that arrives when the order is placed, the cart empty)
  const late = await post();
  expect([late.status(), late.headers().location]).toEqual([303, a.headers().location]);
  expect(await ordersOf(email)).toEqual({ all: afterDecline.all + 3, paid: 3 });
  await plain.close();
}, 240_000);

test("an operator changes a price and sets stock to 0; the storefront shows both on the next load", async () => {
  const adminEmail = `operator-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const reg = await fetch(`${stack.url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: adminEmail, password, name: "Operator" }),
  });
  expect(reg.status).toBe(201);
  await stack.database.sql`update users set role = 'admin' where email = ${adminEmail}`;

  const shopper = await browser.newContext();
  const shop = await newPage(shopper);
  await shop.goto(productUrl); // warms the page cache: the change must invalidate it, not miss it
  expect(await shop.locator(".variant").first().textContent()).not.toContain("$1,234.56");

  const ctx = await browser.newContext();
  const page = await newPage(ctx);
  await page.goto(`${stack.url}/admin`);
  await page.waitForURL(/\/signin\?next=/);
  await page.fill("#a-email", adminEmail);
  await page.fill("#a-password", password);
  await navigates(page, () => page.click("form.auth button[type=submit]"), /\/admin\/products$/);
  await checkPage(page, "14-console-products");

  const [row] = await stack.database.sql<
    { id: string }[]
  >`select id from products where slug = ${productSlug}`;
  await page.goto(`${stack.url}/admin/products/${row!.id}`);
  const sku = (await page.locator("form input[name=sku]").first().getAttribute("value"))!;
  await page.fill(`#price-${sku}`, "123456");
  await page.locator(`form:has(#price-${sku}) button`).click();
  await page.locator("text=Variant saved.").waitFor();
  await checkPage(page, "15-console-product-edit");

  await shop.goto(productUrl);
  expect(await shop.locator(`label.variant:has(input[value="${sku}"])`).textContent()).toContain("$1,234.56");
  await shot(shop, "16-product-new-price");

  for (const stockOf of await page.locator("[data-stock-of]").all()) {
    const s = (await stockOf.getAttribute("data-stock-of"))!;
    const n = Number(await stockOf.textContent());
    if (n === 0) continue;
    await page.fill(`#delta-${s}`, String(-n));
    await page.fill(`#reason-${s}`, "browser test: sold out");
    await page.locator(`form:has(#delta-${s}) button`).click();
    await page.locator("text=Stock adjusted.").waitFor();
  }
  await shop.goto(productUrl);
  await expect(shop.locator("form[data-add-to-cart] button[type=submit]").textContent()).resolves.toBe(
    "Out of stock",
  );
  await shot(shop, "17-product-out-of-stock");

  await page.goto(`${stack.url}/admin/orders`);
  expect(await page.locator("td[data-status]").count()).toBeGreaterThan(0);
  await checkPage(page, "18-console-orders");
  await page.goto(`${stack.url}/admin/events`);
  await page.click("text=Rebuild the search index");
  await page.locator("text=Search index rebuilt.").waitFor();
  await checkPage(page, "19-console-events");
  await page.goto(`${stack.url}/admin/system`);
  await page.locator("#chart-latency canvas").waitFor();
  await checkPage(page, "20-console-system");
  await ctx.close();
  await shopper.close();
}, 240_000);

test("a staff member creates a product, adjusts stock and sees the audit row, refunds, creates a webhook and sees its delivery, edits categories, watches the system view under load", async () => {
  const kit: TourKit = { stack, browser, newPage, checkPage };
  const staff = await signInAsStaff(kit);
  const path = await productSteps(kit, staff.page, staff.email);
  await webhookSteps(kit, staff.page, path);
  await refundSteps(kit, staff.page);
  await categorySteps(kit, staff.page);
  await systemSteps(kit, staff.page, [path, productUrl.replace(stack.url, ""), "/"]);
  await staff.close();
}, 240_000);

test("over HTTPS the page and its assets come over HTTP/2", async () => {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await newPage(ctx);
  await page.goto(`${stack.httpsUrl}/`);
  // The navigation and every resource entry: each carries the protocol it came over.
  const protocols = await page.evaluate(() =>
    performance
      .getEntries()
      .map((e) => (e as PerformanceResourceTiming).nextHopProtocol)
      .filter((p) => p !== undefined),
  );
  expect(protocols.length).toBeGreaterThan(1);
  expect(new Set(protocols)).toEqual(new Set(["h2"]));
  await ctx.close();
});

test("no page logged a console error", () => {
  expect(errors).toEqual([]);
});
