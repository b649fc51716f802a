import type { Context, Hono } from "hono";
import { cacheRuntime } from "../cache/index.ts";
import { CATEGORIES, PRODUCT_LISTS } from "../catalog/generations.ts";
import type { AppDeps, AppEnv, RouteModule } from "../core/deps.ts";
import type { RecommendSettings } from "../recommend/settings.ts";
import { accountPage, authPage, authPost, cancelOrder, orderPage, signOut } from "./account-pages.tsx";
import { addToCart, cartPage, updateCartItem } from "./cart-pages.tsx";
import { categoryPage, homePage, productPage, searchPage } from "./catalog-pages.tsx";
import type { CategoryNode } from "./catalog-views.tsx";
import { checkoutPage, placeOrder } from "./checkout-pages.tsx";
import { ORIGIN_MARK, originOf, withOrigin } from "./render.tsx";
import { type PageEnv, pageSession } from "./session.ts";

/**
 * The storefront: server-rendered pages (Hono JSX) on `/`, `/c/:slug`,
 * `/p/:slug`, `/search`, `/cart`, `/checkout`, `/signin`, `/register`,
 * `/account`, plus `/sitemap.xml` and `/robots.txt` (docs/API.md "Pages").
 * The session middleware is attached per page route so the JSON API never runs it.
 */
function pageRoutes(
  deps: AppDeps,
  recommend: RecommendSettings,
): [method: "GET" | "POST", path: string, handler: (c: Context<PageEnv>) => unknown][] {
  return [
    ["GET", "/", homePage(deps)],
    ["GET", "/c/:slug", categoryPage(deps)],
    ["GET", "/p/:slug", productPage(deps, recommend)],
    ["GET", "/search", searchPage],
    ["GET", "/cart", cartPage],
    ["POST", "/cart/add", addToCart],
    ["POST", "/cart/items/:id", updateCartItem],
    ["GET", "/checkout", checkoutPage],
    ["POST", "/checkout", placeOrder],
    ["GET", "/signin", authPage("signin")],
    ["POST", "/signin", authPost(deps, "signin")],
    ["GET", "/register", authPage("register")],
    ["POST", "/register", authPost(deps, "register")],
    ["POST", "/signout", signOut],
    ["GET", "/account", accountPage],
    ["GET", "/account/orders/:id", orderPage],
    ["POST", "/account/orders/:id/cancel", cancelOrder],
  ];
}

/** robots.txt: everything but the private pages, and where the sitemap is. */
function robots(c: Context) {
  const origin = originOf(c);
  return c.text(
    [
      "User-agent: *",
      "Disallow: /cart",
      "Disallow: /checkout",
      "Disallow: /account",
      "Disallow: /admin",
      "Disallow: /api/",
      `Sitemap: ${origin}/sitemap.xml`,
      "",
    ].join("\n"),
  );
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** sitemap.xml: home, every category, every active product (cached on the list generations). */
function sitemap(app: Hono<AppEnv>, deps: AppDeps) {
  return async (c: Context) => {
    // one entry for every Host: built with the stand-in origin, the request's own put in on the way out
    const origin = ORIGIN_MARK;
    const xml = await cacheRuntime(deps).aside.fetch(
      { cache: "page", key: "sitemap", generations: [CATEGORIES, PRODUCT_LISTS] },
      async () => {
        const urls = [`${origin}/`];
        const tree = (await (await app.request("/api/catalog/categories")).json()) as CategoryNode[];
        const walk = (ns: CategoryNode[]) => {
          for (const n of ns) {
            urls.push(`${origin}/c/${n.slug}`);
            walk(n.children);
          }
        };
        walk(tree);
        for (let page = 1; page <= 500; page++) {
          const r = (await (
            await app.request(`/api/catalog/products?page_size=100&page=${page}`)
          ).json()) as {
            items: { slug: string }[];
            total: number;
          };
          for (const p of r.items) urls.push(`${origin}/p/${p.slug}`);
          if (page * 100 >= r.total || !r.items.length) break;
        }
        return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls
          .map((u) => `<url><loc>${xmlEscape(u)}</loc></url>`)
          .join("\n")}\n</urlset>\n`;
      },
    );
    return c.body(withOrigin(xml, originOf(c)), 200, { "content-type": "application/xml; charset=utf-8" });
  };
}

/** Mounts the storefront pages, the sitemap and robots.txt (product pages show the recommender's lists). */
export const storefrontModule =
  (recommend: RecommendSettings): RouteModule =>
  (app, deps) => {
    app.get("/robots.txt", robots);
    app.get("/sitemap.xml", sitemap(app, deps));
    const session = pageSession(app, deps);
    const pages = app as unknown as Hono<PageEnv>;
    for (const [method, path, handler] of pageRoutes(deps, recommend)) {
      pages.on(method, path, session, (c) => handler(c) as Response | Promise<Response>);
    }
  };
