import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Child } from "hono/jsx";
import type { AuthUser } from "../core/roles.ts";

/** Money as the API returns it. */
export interface Money {
  amount: number;
  currency: string;
}

const formats = new Map<string, Intl.NumberFormat>();
/** `{ amount: 1999, currency: "USD" }` → `$19.99`. */
export function formatMoney(m: Money): string {
  let f = formats.get(m.currency);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { style: "currency", currency: m.currency });
    formats.set(m.currency, f);
  }
  return f.format(m.amount / 100);
}

/**
 * The fingerprinted client files written by `bun run build:web`
 * (web/assets.json); read once, at start-up. Missing manifest: pages still
 * work, only without their enhancements.
 */
function loadAssets(): { js: string | null; css: string | null; admin: string | null } {
  try {
    const m = JSON.parse(readFileSync(join(import.meta.dir, "../../web/assets.json"), "utf8")) as Record<
      string,
      string
    >;
    return { js: m["app.js"] ?? null, css: m["app.css"] ?? null, admin: m["admin.js"] ?? null };
  } catch {
    return { js: null, css: null, admin: null };
  }
}
/** URLs of the client bundle. */
export const assets = loadAssets();

/** What every page tells the head about itself. */
export interface PageMeta {
  title: string;
  description: string;
  /** Path (and query) of the canonical URL; made absolute with the request's origin. */
  canonical?: string;
  origin: string;
  image?: string;
  ogType?: string;
  /** JSON-LD documents. */
  jsonLd?: unknown[];
  noindex?: boolean;
  /** Extra script (the console's). */
  script?: string | null;
}

/** The whole document: head with SEO tags, header with search and account links, main. */
export function Layout(props: {
  meta: PageMeta;
  user: AuthUser | null;
  children: Child;
  flash?: string | null;
}) {
  const { meta, user } = props;
  const canonical = meta.canonical ? `${meta.origin}${meta.canonical}` : undefined;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${meta.title} · Commerce`}</title>
        <meta name="description" content={meta.description} />
        {canonical && <link rel="canonical" href={canonical} />}
        {meta.noindex && <meta name="robots" content="noindex" />}
        <link rel="icon" href="data:," />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:type" content={meta.ogType ?? "website"} />
        {canonical && <meta property="og:url" content={canonical} />}
        {meta.image && <meta property="og:image" content={new URL(meta.image, meta.origin).href} />}
        {assets.css && <link rel="stylesheet" href={assets.css} />}
        {assets.js && <script src={assets.js} defer />}
        {meta.script && <script src={meta.script} defer />}
        {(meta.jsonLd ?? []).map((doc) => (
          <script
            type="application/ld+json"
            // JSON.stringify escapes quotes; "<" is escaped so a value cannot close the script element.
            dangerouslySetInnerHTML={{ __html: JSON.stringify(doc).replace(/</g, "\\u003c") }}
          />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <a class="brand" href="/">
            Commerce
          </a>
          <form class="search" action="/search" method="get" aria-label="Search products">
            <label for="q">Search products</label>
            <input id="q" name="q" type="search" autocomplete="off" data-suggest="" />
            <button type="submit">Search</button>
            <ul id="q-suggestions" class="suggestions" hidden />
          </form>
          <nav aria-label="Account">
            <a href="/cart" data-cart-link="">
              Cart
            </a>
            {user ? (
              <>
                {user.role !== "customer" && <a href="/admin">Console</a>}
                <a href="/account">Account</a>
                <form action="/signout" method="post" class="inline">
                  <button type="submit" class="link">
                    Sign out
                  </button>
                </form>
              </>
            ) : (
              <>
                <a href="/signin">Sign in</a>
                <a href="/register">Register</a>
              </>
            )}
          </nav>
        </header>
        <main id="main">
          {props.flash && (
            <p class="flash" role="status">
              {props.flash}
            </p>
          )}
          {props.children}
        </main>
        <footer class="site">
          <p>Commerce demo storefront · prices in USD · test cards: tok_visa, tok_decline</p>
        </footer>
      </body>
    </html>
  );
}

/** Breadcrumb trail plus its JSON-LD `BreadcrumbList`. */
export function breadcrumbLd(origin: string, trail: { name: string; path: string }[]) {
  return {
    "@context": "https://schema.org",
    "@type": "BreadcrumbList",
    itemListElement: trail.map((t, i) => ({
      "@type": "ListItem",
      position: i + 1,
      name: t.name,
      item: `${origin}${t.path}`,
    })),
  };
}

/** The visible breadcrumb navigation. */
export function Breadcrumbs(props: { trail: { name: string; path: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" class="crumbs">
      <ol>
        {props.trail.map((t, i) => (
          <li>
            {i === props.trail.length - 1 ? (
              <span aria-current="page">{t.name}</span>
            ) : (
              <a href={t.path}>{t.name}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
