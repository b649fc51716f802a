import type { Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { RouteModule } from "../core/deps.ts";
import { isStaff } from "../core/roles.ts";
import { seeOther } from "../storefront/render.tsx";
import { type PageEnv, pageSession } from "../storefront/session.ts";
import { eventsPage, reindexSearch, replayDeadLetter } from "./events.tsx";
import { forecastPage } from "./forecast.tsx";
import { decideFraudReview, fraudPage } from "./fraud.tsx";
import { helpPage, saveHelpArticle } from "./help.tsx";
import { ordersPage, transitionOrder } from "./orders.tsx";
import { adjustStock, archiveProduct, productEditPage, productsPage, savePrice } from "./products.tsx";
import { systemJson, systemPage } from "./system.tsx";

/** Staff only: others are sent to sign in (the API routes behind check the role again). */
const staffOnly = createMiddleware<PageEnv>(async (c, next) => {
  const user = c.get("session").user;
  if (!user) return seeOther(c, `/signin?next=${encodeURIComponent(new URL(c.req.url).pathname)}`);
  if (!isStaff(user)) return c.text("The console is for staff.", 403);
  await next();
});

/** The operator's console at `/admin`: products, stock, orders, events (webhooks, dead letters, reindex), system view. */
export const consoleModule: RouteModule = (app, deps) => {
  const pages = app as unknown as Hono<PageEnv>;
  const guard = [pageSession(app, deps), staffOnly] as const;
  const routes: ["GET" | "POST", string, (c: Context<PageEnv>) => Response | Promise<Response>][] = [
    ["GET", "/admin", (c) => seeOther(c, "/admin/products")],
    ["GET", "/admin/products", productsPage],
    ["GET", "/admin/products/:id", productEditPage],
    ["POST", "/admin/products/:id/price", savePrice],
    ["POST", "/admin/products/:id/stock", adjustStock],
    ["POST", "/admin/products/:id/archive", archiveProduct],
    ["GET", "/admin/orders", ordersPage],
    ["POST", "/admin/orders/:id/transition", transitionOrder],
    ["GET", "/admin/fraud", fraudPage],
    ["POST", "/admin/fraud/:id", decideFraudReview],
    ["GET", "/admin/forecast", forecastPage],
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
