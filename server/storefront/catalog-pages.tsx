import type { Context } from "hono";
import { CATEGORIES, PRODUCT_LISTS, productGeneration } from "../catalog/generations.ts";
import type { AppDeps } from "../core/deps.ts";
import type { RecommendSettings } from "../recommend/settings.ts";
import { productRecommendations, recommendGeneration } from "../recommend/widgets.ts";
import {
  type CategoryNode,
  type Facets,
  FilterForm,
  findCategory,
  Gallery,
  type ListFilters,
  type ListItem,
  listUrl,
  Pager,
  ProductGrid,
  Stars,
} from "./catalog-views.tsx";
import { Breadcrumbs, breadcrumbLd, formatMoney, type Money } from "./layout.tsx";
import { cachedPage, notFoundPage, PageNotFound, renderPage } from "./render.tsx";
import type { PageEnv } from "./session.ts";

const PAGE_SIZE = 12;
const LIST_GENERATIONS = [CATEGORIES, PRODUCT_LISTS];

interface ProductDetail extends ListItem {
  description: string;
  variants: {
    sku: string;
    title: string;
    price: Money;
    stock_status: "in_stock" | "low_stock" | "out_of_stock";
  }[];
}
interface SearchReply {
  items: ListItem[];
  total: number;
  facets: Facets;
  match: "all" | "full_text" | "fuzzy";
}

/** The listing filters from the query string (the API validates them). */
function filtersOf(c: Context): ListFilters {
  const f: ListFilters = {};
  for (const k of ["q", "brand", "min_price", "max_price", "in_stock", "sort", "page"] as const) {
    const v = c.req.query(k);
    if (v) f[k] = v.slice(0, 200);
  }
  return f;
}

function searchPath(f: ListFilters, category?: string): string {
  const qs = new URLSearchParams({ page_size: String(PAGE_SIZE) });
  if (category) qs.set("category", category);
  for (const [k, v] of Object.entries(f)) if (v) qs.set(k, v);
  return `/api/search?${qs}`;
}

/** `GET /`: categories, best-rated and newest products. */
export function homePage(deps: AppDeps) {
  return (c: Context<PageEnv>) =>
    cachedPage(c, deps, { key: "/", generations: LIST_GENERATIONS }, async () => {
      const api = c.get("session").api;
      const [tree, featured, newest] = await Promise.all([
        api<CategoryNode[]>("GET", "/api/catalog/categories", { anonymous: true }),
        api<{ items: ListItem[] }>("GET", "/api/catalog/products?sort=rating&page_size=8", {
          anonymous: true,
        }),
        api<{ items: ListItem[] }>("GET", "/api/catalog/products?sort=newest&page_size=8", {
          anonymous: true,
        }),
      ]);
      return {
        meta: {
          title: "Shop everything",
          description: "Browse our categories, best-rated and newest products.",
          canonical: "/",
        },
        body: (
          <>
            <h1>Welcome to Commerce</h1>
            <section aria-labelledby="cats">
              <h2 id="cats">Categories</h2>
              <ul class="cats">
                {tree.body.map((n) => (
                  <li>
                    <a href={`/c/${n.slug}`}>{n.name}</a>
                  </li>
                ))}
              </ul>
            </section>
            <section aria-labelledby="featured">
              <h2 id="featured">Featured</h2>
              <ProductGrid items={featured.body.items} label="Featured products" />
            </section>
            <section aria-labelledby="new">
              <h2 id="new">New arrivals</h2>
              <ProductGrid items={newest.body.items} label="New products" />
            </section>
          </>
        ),
      };
    });
}

/** `GET /c/:slug`: a category with filters, facets, sorts and paging in the URL. */
export function categoryPage(deps: AppDeps) {
  return (c: Context<PageEnv>) => {
    const slug = c.req.param("slug") ?? "";
    if (!/^[a-z0-9-]{1,200}$/.test(slug)) return notFoundPage(c);
    const f = filtersOf(c);
    delete f.q;
    return cachedPage(
      c,
      deps,
      // known filters only, in a fixed order: unknown or reordered parameters share one entry
      { key: listUrl(`/c/${slug}`, f), generations: LIST_GENERATIONS },
      async (origin) => {
        const api = c.get("session").api;
        const tree = await api<CategoryNode[]>("GET", "/api/catalog/categories", { anonymous: true });
        const found = findCategory(tree.body, slug);
        if (!found) throw new PageNotFound();
        const r = await api<SearchReply>("GET", searchPath(f, slug), { anonymous: true });
        if (!r.ok) throw new PageNotFound();
        const crumbs = [
          { name: "Home", path: "/" },
          ...found.trail.map((n) => ({ name: n.name, path: `/c/${n.slug}` })),
        ];
        const page = Number(f.page ?? 1) || 1;
        return {
          meta: {
            title: found.node.name,
            description: `${found.node.name}: ${r.body.total} products. Filter by brand, price and stock.`,
            canonical: `/c/${slug}${page > 1 ? `?page=${page}` : ""}`,
            jsonLd: [breadcrumbLd(origin, crumbs)],
          },
          body: (
            <>
              <Breadcrumbs trail={crumbs} />
              <h1>{found.node.name}</h1>
              {found.node.children.length > 0 && (
                <ul class="cats" aria-label="Subcategories">
                  {found.node.children.map((n) => (
                    <li>
                      <a href={`/c/${n.slug}`}>{n.name}</a>
                    </li>
                  ))}
                </ul>
              )}
              <div class="listing">
                <FilterForm action={`/c/${slug}`} f={f} facets={r.body.facets} />
                <section aria-label="Results">
                  <p role="status">{r.body.total} products</p>
                  <ProductGrid items={r.body.items} label={`${found.node.name} products`} />
                  <Pager base={`/c/${slug}`} f={f} page={page} pageSize={PAGE_SIZE} total={r.body.total} />
                </section>
              </div>
            </>
          ),
        };
      },
    );
  };
}

/** `GET /search?q=`: full-text results; says so when the typo-tolerant match was used. */
export async function searchPage(c: Context<PageEnv>) {
  const f = filtersOf(c);
  const r = await c.get("session").api<SearchReply>("GET", searchPath(f), { anonymous: true });
  if (!r.ok) {
    return renderPage(
      c,
      { title: "Search", description: "Search the shop.", noindex: true },
      <>
        <h1>Search</h1>
        <p role="alert">That search could not be run: please check the filters.</p>
      </>,
      { status: 400 },
    );
  }
  const page = Number(f.page ?? 1) || 1;
  return renderPage(
    c,
    {
      title: f.q ? `Search: ${f.q}` : "Search",
      description: `Search results for ${f.q ?? "all products"}.`,
      noindex: true,
    },
    <>
      <h1>{f.q ? `Results for “${f.q}”` : "All products"}</h1>
      {r.body.match === "fuzzy" && (
        <p class="notice" role="status" data-fuzzy="">
          No exact matches for “{f.q}”. Showing results for similar spellings.
        </p>
      )}
      <div class="listing">
        <FilterForm action="/search" f={f} facets={r.body.facets} relevance />
        <section aria-label="Results">
          <p role="status">{r.body.total} products</p>
          <ProductGrid items={r.body.items} label="Search results" />
          <Pager base="/search" f={f} page={page} pageSize={PAGE_SIZE} total={r.body.total} />
        </section>
      </div>
    </>,
  );
}

/** The admin API accepts at most this many images per product. */
const MAX_IMAGES = 50;

const STOCK_TEXT = { in_stock: "In stock", low_stock: "Only a few left", out_of_stock: "Out of stock" };

/** How many products each recommendation section shows. */
const RECOMMENDED = 4;

/**
 * `GET /p/:slug`: variants with stock, price, rating, reviews; JSON-LD Product
 * and breadcrumbs; "Bought together" and "Similar products" from the
 * recommender (each left out when it has nothing).
 */
export function productPage(deps: AppDeps, recommend: Pick<RecommendSettings, "minSupport">) {
  return (c: Context<PageEnv>) => {
    const slug = c.req.param("slug") ?? "";
    if (!/^[a-z0-9-]{1,200}$/.test(slug)) return notFoundPage(c);
    // the gallery's no-JS links: ?image=N; anything else is view 0 (at most 50 entries per product)
    const n = Number(c.req.query("image") ?? 0);
    const image = Number.isInteger(n) && n >= 0 && n < MAX_IMAGES ? n : 0;
    return cachedPage(
      c,
      deps,
      {
        key: `/p/${slug}${image ? `?image=${image}` : ""}`,
        // PRODUCT_LISTS: the recommended cards show other products' prices and stock;
        // recommendGeneration: the lists change as orders are paid (raised by the recommend consumer)
        generations: [CATEGORIES, PRODUCT_LISTS, productGeneration(slug), recommendGeneration(slug)],
      },
      async (origin) => {
        const api = c.get("session").api;
        const [r, reviews, recs] = await Promise.all([
          api<ProductDetail | null>("GET", `/api/catalog/products/${slug}`, { anonymous: true }),
          api<{ items: { rating: number; title: string; body: string; created_at: string }[] }>(
            "GET",
            `/api/catalog/products/${slug}/reviews?page_size=10`,
            { anonymous: true },
          ),
          productRecommendations(deps, slug, { minSupport: recommend.minSupport, limit: RECOMMENDED }),
        ]);
        const p = r.ok ? r.body : null;
        if (!p) throw new PageNotFound();
        const crumbs = [
          { name: "Home", path: "/" },
          { name: p.category.name, path: `/c/${p.category.slug}` },
          { name: p.title, path: `/p/${p.slug}` },
        ];
        const productLd = {
          "@context": "https://schema.org",
          "@type": "Product",
          name: p.title,
          description: p.description,
          brand: { "@type": "Brand", name: p.brand },
          image: p.images.map((i) => new URL(i, origin).href),
          sku: p.variants[0]?.sku,
          offers: p.variants.map((v) => ({
            "@type": "Offer",
            sku: v.sku,
            price: (v.price.amount / 100).toFixed(2),
            priceCurrency: v.price.currency,
            availability: `https://schema.org/${v.stock_status === "out_of_stock" ? "OutOfStock" : "InStock"}`,
            url: `${origin}/p/${p.slug}`,
          })),
          ...(p.rating.average !== null
            ? {
                aggregateRating: {
                  "@type": "AggregateRating",
                  ratingValue: p.rating.average,
                  reviewCount: p.rating.count,
                },
              }
            : {}),
        };
        const buyable = p.variants.filter((v) => v.stock_status !== "out_of_stock");
        return {
          meta: {
            title: p.title,
            description: p.description.slice(0, 155),
            canonical: `/p/${p.slug}`,
            ogType: "product",
            ...(p.images[0] ? { image: p.images[0] } : {}),
            jsonLd: [productLd, breadcrumbLd(origin, crumbs)],
          },
          body: (
            <article class="product">
              <Breadcrumbs trail={crumbs} />
              <Gallery slug={p.slug} title={p.title} images={p.images} selected={image} />
              <div class="buy">
                <h1>{p.title}</h1>
                <p class="brand">{p.brand}</p>
                <p class="price" data-price="">
                  {formatMoney(p.price)}
                </p>
                <Stars rating={p.rating} />
                <p>{p.description}</p>
                <form action="/cart/add" method="post" data-add-to-cart="">
                  <fieldset>
                    <legend>Choose a variant</legend>
                    {p.variants.map((v, i) => (
                      <label class="variant">
                        <input
                          type="radio"
                          name="sku"
                          value={v.sku}
                          checked={v.sku === buyable[0]?.sku || (i === 0 && !buyable.length)}
                          disabled={v.stock_status === "out_of_stock"}
                        />{" "}
                        {v.title || "Standard"} · {formatMoney(v.price)} ·{" "}
                        <span class={`stock ${v.stock_status}`} data-stock={v.stock_status}>
                          {STOCK_TEXT[v.stock_status]}
                        </span>
                      </label>
                    ))}
                  </fieldset>
                  <label for="qty">Quantity</label>
                  <input id="qty" name="quantity" type="number" min="1" max="99" value="1" />
                  <button type="submit" disabled={!buyable.length}>
                    {buyable.length ? "Add to cart" : "Out of stock"}
                  </button>
                  <p class="add-status" role="status" aria-live="polite" />
                </form>
              </div>
              <section class="reviews" aria-labelledby="reviews-h">
                <h2 id="reviews-h">Reviews</h2>
                {reviews.ok && reviews.body.items.length ? (
                  <ul>
                    {reviews.body.items.map((rv) => (
                      <li>
                        <strong>{rv.title}</strong> · <Stars rating={{ average: rv.rating, count: 1 }} />
                        <p>{rv.body}</p>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p>No reviews yet.</p>
                )}
              </section>
              <Recommended id="bought-together" heading="Bought together" items={recs.boughtTogether} />
              <Recommended id="similar" heading="Similar products" items={recs.similar} />
            </article>
          ),
        };
      },
    );
  };
}

/** A recommendation section of product cards; nothing at all when the list is empty. */
function Recommended(props: { id: string; heading: string; items: ListItem[] }) {
  if (!props.items.length) return null;
  return (
    <section class="recommended" aria-labelledby={`${props.id}-h`} data-recommend={props.id}>
      <h2 id={`${props.id}-h`}>{props.heading}</h2>
      <ProductGrid items={props.items} label={props.heading} />
    </section>
  );
}
