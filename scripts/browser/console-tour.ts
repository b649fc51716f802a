import { expect } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { until } from "../../platform/testing/until.ts";
import { navigates } from "./checks.ts";
import type { Stack } from "./stack.ts";

/** What the console tour needs from the test file: its stack, browser and per-page checks. */
export interface TourKit {
  stack: Stack;
  browser: Browser;
  newPage(ctx: Awaited<ReturnType<Browser["newContext"]>>): Promise<Page>;
  checkPage(page: Page, name: string): Promise<void>;
}

const password = "correct horse battery";

/** Registers a user through the API, makes it staff in the database, and signs it in through the page. */
export async function signInAsStaff(
  kit: TourKit,
): Promise<{ page: Page; email: string; close(): Promise<void> }> {
  const email = `staff-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const reg = await fetch(`${kit.stack.url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, name: "Staff" }),
  });
  expect(reg.status).toBe(201);
  await kit.stack.database.sql`update users set role = 'staff' where email = ${email}`;
  const ctx = await kit.browser.newContext();
  const page = await kit.newPage(ctx);
  await page.goto(`${kit.stack.url}/signin?next=/admin/products`);
  await page.fill("#a-email", email);
  await page.fill("#a-password", password);
  await navigates(page, () => page.click("form.auth button[type=submit]"), /\/admin\/products$/);
  return { page, email, close: () => ctx.close() };
}

/** Submits the form around `button` and waits for the flash or alert `text`. */
async function submitFor(page: Page, button: string, text: string) {
  await page.locator(button).click();
  await page.locator(`text=${text}`).first().waitFor();
}

/**
 * Creates a product with two images by URL, adjusts its stock and checks the
 * audit row, edits and adds a variant; then the shop's gallery switches views.
 * Returns the new product's page path.
 */
export async function productSteps(kit: TourKit, page: Page, staffEmail: string): Promise<string> {
  const tag = crypto.randomUUID().slice(0, 6);
  await navigates(page, () => page.click("text=New product"), /\/admin\/products\/new$/);
  await page.fill("#np-title", `Browser Lamp ${tag}`);
  await page.fill("#np-brand", "Lumen");
  await page.selectOption("#np-category", { index: 1 });
  await page.fill("#np-description", "Made in the console by the browser test.");
  await page.fill("#np-images", "/media/products/2.svg\n/media/products/7.svg");
  await page.fill("#np-sku", `BL-${tag}`);
  await page.fill("#np-variant_title", "Brass");
  await page.fill("#np-amount", "2500");
  await navigates(page, () => page.click("text=Create product"), /\/admin\/products\/\d+\?done=created$/);
  await page.locator("text=Product created.").waitFor();
  await kit.checkPage(page, "21-console-product-created");

  await page.fill(`#delta-BL-${tag}`, "12");
  await page.fill(`#reason-BL-${tag}`, "browser test: delivery");
  await submitFor(page, `form:has(#delta-BL-${tag}) button`, "Stock adjusted.");
  const audit = page.locator("table[data-audit] tbody tr").first();
  await expect(audit.textContent()).resolves.toContain(staffEmail);
  await expect(audit.textContent()).resolves.toContain("+12");
  await expect(audit.textContent()).resolves.toContain("browser test: delivery");
  await kit.checkPage(page, "22-console-stock-audit");

  await page.fill(`#vtitle-BL-${tag}`, "Polished brass");
  await submitFor(page, `form:has(#vtitle-BL-${tag}) button`, "Variant saved.");
  await page.fill("#nv-sku", `BL-${tag}-S`);
  await page.fill("#nv-title", "Steel");
  await page.fill("#nv-amount", "1900");
  await submitFor(page, "text=Add variant", "Variant added.");
  expect(await page.locator(`[data-stock-of="BL-${tag}-S"]`).textContent()).toBe("0");
  // a refused change is shown again with its reason (and a 409, left out of the console-error check)
  await page.fill(`#delta-BL-${tag}-S`, "-5");
  await page.fill(`#reason-BL-${tag}-S`, "more than there is");
  await submitFor(page, `form:has(#delta-BL-${tag}-S) button`, "below zero");

  const path = `/p/browser-lamp-${tag}`;
  await page.goto(`${kit.stack.url}${path}`);
  const main = page.locator("[data-gallery-main]");
  expect(await main.getAttribute("src")).toBe("/media/products/2.svg");
  await page.locator("a[data-gallery-thumb='1']").click();
  await until(
    async () => (await main.getAttribute("src"))?.endsWith("/media/products/7.svg") ?? false,
    "gallery switch",
  );
  expect(page.url()).toEndWith(`${path}?image=1`); // no reload: the script swapped it and kept the link's URL
  await kit.checkPage(page, "23-product-gallery");
  return path;
}

/** Creates a webhook to a receiver of the test's own, causes an event and sees the delivery in the console. */
export async function webhookSteps(kit: TourKit, page: Page, productPath: string): Promise<void> {
  let received = 0;
  const receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => {
      received++;
      return new Response(null, { status: 204 });
    },
  });
  try {
    await page.goto(`${kit.stack.url}/admin/webhooks`);
    await page.fill("#wh-url", `http://127.0.0.1:${receiver.port}/hook`);
    await page.check("input[name=events][value='inventory.changed']");
    await submitFor(page, "text=Create endpoint", "signing secret");
    await kit.checkPage(page, "24-console-webhook-created");
    const deliveries = (await page.locator("table[data-webhooks] a").last().getAttribute("href"))!;

    // an inventory change: the stock of the product made above
    const [row] = await kit.stack.database.sql<{ id: string }[]>`
      select id from products where slug = ${productPath.split("/")[2]!}`;
    await page.goto(`${kit.stack.url}/admin/products/${row!.id}`);
    const sku = (await page.locator("[data-stock-of]").first().getAttribute("data-stock-of"))!;
    await page.fill(`#delta-${sku}`, "1");
    await page.fill(`#reason-${sku}`, "browser test: webhook");
    await submitFor(page, `form:has(#delta-${sku}) button`, "Stock adjusted.");

    await until(() => received > 0, "the webhook delivery", 45_000);
    await until(
      async () => {
        await page.goto(`${kit.stack.url}${deliveries}`);
        return (await page.locator("td[data-status-code='204']").count()) > 0;
      },
      "the delivery in the console",
      30_000,
    );
    await kit.checkPage(page, "25-console-webhook-deliveries");
  } finally {
    await receiver.stop(true);
  }
}

/** Refunds a paid order (the shopper test paid several) and checks order and payment. */
export async function refundSteps(kit: TourKit, page: Page): Promise<void> {
  await page.goto(`${kit.stack.url}/admin/orders?status=paid`);
  const button = page.locator("button", { hasText: "Refund" }).first();
  const label = (await button.getAttribute("aria-label"))!; // "Refund order 1a2b3c4d"
  const prefix = label.split(" ").at(-1)!;
  await navigates(page, () => button.click(), /\/admin\/orders\?done=refunded$/);
  await page.locator("text=Order refunded").waitFor();
  const [row] = await kit.stack.database.sql<{ status: string; payment: string }[]>`
    select o.status, p.status as payment from orders o join payments p on p.order_id = o.id
    where o.id::text like ${`${prefix}%`}`;
  expect(row).toEqual({ status: "refunded", payment: "refunded" });
  await kit.checkPage(page, "26-console-order-refunded");
}

/** Creates a category and renames it. */
export async function categorySteps(kit: TourKit, page: Page): Promise<void> {
  const tag = crypto.randomUUID().slice(0, 6);
  await page.goto(`${kit.stack.url}/admin/categories`);
  await page.fill("#nc-name", `Garden ${tag}`);
  await page.fill("#nc-slug", `garden-${tag}`);
  await submitFor(page, "text=Create category", "Category created.");
  await navigates(page, () => page.click(`text=Garden ${tag}`), /\/admin\/categories\/\d+$/);
  await page.fill("#ec-name", `Garden and patio ${tag}`);
  await submitFor(page, "text=Save category", "Category saved.");
  await kit.checkPage(page, "27-console-categories");
}

/**
 * Opens the system view while clients load the shop through the proxy, and
 * waits until the request-rate, p99 and hit-ratio charts show numbers.
 */
export async function systemSteps(kit: TourKit, page: Page, paths: string[]): Promise<void> {
  let loading = true;
  const client = async () => {
    for (let i = 0; loading; i++) {
      const r = await fetch(`${kit.stack.url}${paths[i % paths.length]}`).catch(() => null);
      await r?.arrayBuffer();
    }
  };
  const clients = Array.from({ length: 8 }, client);
  try {
    await page.goto(`${kit.stack.url}/admin/system`);
    for (const id of ["chart-rate", "chart-p99", "chart-cache", "chart-latency"])
      await page.locator(`#${id} canvas`).waitFor();
    const number = async (id: string) => Number((await page.locator(`#${id}-now`).textContent()) ?? "");
    await until(async () => (await number("chart-rate")) > 1, "a request rate on the chart", 30_000);
    await until(async () => (await number("chart-p99")) > 0, "a p99 on the chart", 30_000);
    await until(async () => (await number("chart-cache")) > 0, "a cache hit ratio on the chart", 30_000);
    // the charts move: wait for two more polls with traffic, so the screenshot shows lines, not points
    const seen = new Set<string>();
    await until(
      async () => {
        seen.add(`${await page.locator("#chart-rate-now").textContent()}|${await number("chart-p99")}`);
        return seen.size >= 3;
      },
      "three polls with traffic",
      30_000,
    );
    await kit.checkPage(page, "28-console-system-under-load");
  } finally {
    loading = false;
    await Promise.all(clients);
  }
}
