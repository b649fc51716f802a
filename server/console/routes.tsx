import type { Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { RouteModule } from "../core/deps.ts";
import { isStaff } from "../core/roles.ts";
import { seeOther } from "../storefront/render.tsx";
import { type PageEnv, pageSession } from "../storefront/session.ts";
import { categoriesPage, categoryEditPage, createCategory, updateCategory } from "./categories.tsx";
import { eventsPage, reindexSearch, replayDeadLetter } from "./events.tsx";
import { forecastPage } from "./forecast.tsx";
import { decideFraudReview, fraudPage } from "./fraud.tsx";
import { helpPage, saveHelpArticle } from "./help.tsx";
import { ordersPage, refundOrder, transitionOrder } from "./orders.tsx";
import { askPricingAdvice, decidePricingAdvice, pricingPage } from "./pricing.tsx";
import { addVariant, adjustStock, archiveProduct, saveDetails, saveVariant } from "./product-actions.ts";
import { productEditPage } from "./product-edit.tsx";
import { createProduct, newProductFormPage } from "./product-new.tsx";
import { productsPage } from "./products.tsx";
import { systemJson, systemPage } from "./system.tsx";
import { createWebhook, deleteWebhook, deliveriesPage, webhooksPage } from "./webhooks.tsx";

/** Staff only: others are sent to sign in (the API routes behind check the role again). */
const staffOnly = createMiddleware<PageEnv>(async (c, next) => {
  const user = c.get("session").user;
  if (!user) return seeOther(c, `/signin?next=${encodeURIComponent(new URL(c.req.url).pathname)}`);
  if (!isStaff(user)) return c.text("The console is for staff.", 403);
  await next();
});

/**
 * The operator's console at `/admin`: products (create, edit, variants, images by URL,
 * stock with its audit list, archive), categories, orders (transitions, refunds),
 * webhooks with their deliveries, events (dead letters, reindex), system view.
 */
export const consoleModule: RouteModule = (app, deps) => {
  const pages = app as unknown as Hono<PageEnv>;
  const guard = [pageSession(app, deps), staffOnly] as const;
  const routes: ["GET" | "POST", string, (c: Context<PageEnv>) => Response | Promise<Response>][] = [
    ["GET", "/admin", (c) => seeOther(c, "/admin/products")],
    ["GET", "/admin/products", productsPage],
    ["GET", "/admin/products/new", newProductFormPage],
    ["POST", "/admin/products/new", createProduct],
    ["GET", "/admin/products/:id{[0-9]+}", productEditPage],
    ["POST", "/admin/products/:id/details", saveDetails],
    ["POST", "/admin/products/:id/price", saveVariant],
    ["POST", "/admin/products/:id/variants", addVariant],
    ["POST", "/admin/products/:id/stock", adjustStock],
    ["POST", "/admin/products/:id/archive", archiveProduct],
    ["GET", "/admin/categories", categoriesPage],
    ["POST", "/admin/categories", createCategory],
    ["GET", "/admin/categories/:id", categoryEditPage],
    ["POST", "/admin/categories/:id", updateCategory],
    ["GET", "/admin/orders", ordersPage],
    ["POST", "/admin/orders/:id/transition", transitionOrder],
    ["POST", "/admin/orders/:id/refund", refundOrder],
    ["GET", "/admin/webhooks", webhooksPage],
    ["POST", "/admin/webhooks", createWebhook],
    ["GET", "/admin/webhooks/:id", deliveriesPage],
    ["POST", "/admin/webhooks/:id/delete", deleteWebhook],
    ["GET", "/admin/fraud", fraudPage],
    ["POST", "/admin/fraud/:id", decideFraudReview],
    ["GET", "/admin/forecast", forecastPage],
    ["GET", "/admin/pricing", pricingPage],
    ["POST", "/admin/pricing/advice", askPricingAdvice],
    ["POST", "/admin/pricing/:id{[0-9]+}", decidePricingAdvice],
    ["GET", "/admin/help", helpPage],
    ["POST", "/admin/help/:slug", saveHelpArticle],
    ["GET", "/admin/events", eventsPage],
    ["POST", "/admin/events/dead-letters/:id/replay", replayDeadLetter],
    ["POST", "/admin/events/reindex", reindexSearch],
    ["GET", "/admin/system", systemPage(deps)],
    ["GET", "/admin/system.json", systemJson(deps)],
  ];
  for (const [method, path, handler] of routes) pages.on(method, path, ...guard, handler);
};
