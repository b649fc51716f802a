import { formatMoney, type Money } from "./layout.tsx";

/** A product as the list and search APIs return it (the fields pages use). */
export interface ListItem {
  slug: string;
  title: string;
  brand: string;
  images: string[];
  price: Money;
  in_stock: boolean;
  rating: { average: number | null; count: number };
  category: { slug: string; name: string };
}

/** A category tree node. */
export interface CategoryNode {
  id: number;
  slug: string;
  name: string;
  children: CategoryNode[];
}

/** Search/list facets as `/api/search` returns them. */
export interface Facets {
  categories: { slug: string; count: number }[];
  brands: { value: string; count: number }[];
  price: { from: number; to: number | null; count: number }[];
  rating: { min: number; count: number }[];
}

/** Stars as text plus an accessible label. */
export function Stars(props: { rating: { average: number | null; count: number } }) {
  const { average, count } = props.rating;
  if (average === null) return <span class="muted">No reviews yet</span>;
  const full = Math.round(average);
  return (
    <span class="stars" role="img" aria-label={`Rated ${average} out of 5 by ${count} reviewers`}>
      {"★".repeat(full)}
      {"☆".repeat(5 - full)} <span class="muted">({count})</span>
    </span>
  );
}

/** One product tile. */
export function ProductCard(props: { p: ListItem }) {
  const p = props.p;
  return (
    <li class="card">
      <a href={`/p/${p.slug}`}>
        {p.images[0] && <img src={p.images[0]} alt="" width="160" height="120" loading="lazy" />}
        <span class="title">{p.title}</span>
      </a>
      <span class="brand">{p.brand}</span>
      <span class="price" data-price="">
        {formatMoney(p.price)}
      </span>
      <Stars rating={p.rating} />
      {!p.in_stock && <span class="badge">Out of stock</span>}
    </li>
  );
}

/** A grid of product tiles (or a friendly empty state). */
export function ProductGrid(props: { items: ListItem[]; label: string }) {
  if (!props.items.length) return <p>No products match.</p>;
  return (
    <ul class="grid" aria-label={props.label}>
      {props.items.map((p) => (
        <ProductCard p={p} />
      ))}
    </ul>
  );
}

/** Finds a category and its ancestors' trail in the tree. */
export function findCategory(
  tree: CategoryNode[],
  slug: string,
  trail: CategoryNode[] = [],
): { node: CategoryNode; trail: CategoryNode[] } | null {
  for (const n of tree) {
    if (n.slug === slug) return { node: n, trail: [...trail, n] };
    const found = findCategory(n.children, slug, [...trail, n]);
    if (found) return found;
  }
  return null;
}

/** The filters a listing keeps in its URL. */
export interface ListFilters {
  q?: string;
  brand?: string;
  min_price?: string;
  max_price?: string;
  in_stock?: string;
  sort?: string;
  page?: string;
}

/** Builds a listing URL from `base` and the filters, dropping empty ones. */
export function listUrl(base: string, f: ListFilters): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${base}?${s}` : base;
}

const SORTS: [string, string][] = [
  ["newest", "Newest"],
  ["price_asc", "Price: low to high"],
  ["price_desc", "Price: high to low"],
  ["rating", "Best rated"],
];

/** The filter form: brand facet, price range, in-stock, sort. Works as a plain GET form. */
export function FilterForm(props: {
  action: string;
  f: ListFilters;
  facets: Facets | null;
  relevance?: boolean;
}) {
  const { f, facets } = props;
  const sorts = props.relevance ? [["relevance", "Relevance"] as [string, string], ...SORTS] : SORTS;
  return (
    <form class="filters" action={props.action} method="get" aria-label="Filters">
      {f.q && <input type="hidden" name="q" value={f.q} />}
      <label for="f-brand">Brand</label>
      <select id="f-brand" name="brand">
        <option value="">All brands</option>
        {(facets?.brands ?? []).map((b) => (
          <option value={b.value} selected={b.value === f.brand}>
            {`${b.value} (${b.count})`}
          </option>
        ))}
      </select>
      <label for="f-min">Min price (cents)</label>
      <input id="f-min" name="min_price" type="number" min="0" value={f.min_price ?? ""} />
      <label for="f-max">Max price (cents)</label>
      <input id="f-max" name="max_price" type="number" min="0" value={f.max_price ?? ""} />
      <label class="check">
        <input type="checkbox" name="in_stock" value="true" checked={f.in_stock === "true"} /> In stock only
      </label>
      <label for="f-sort">Sort by</label>
      <select id="f-sort" name="sort">
        {sorts.map(([v, label]) => (
          <option value={v} selected={v === (f.sort ?? "")}>
            {label}
          </option>
        ))}
      </select>
      <button type="submit">Apply</button>
    </form>
  );
}

/** Previous / next links that keep every filter. */
export function Pager(props: {
  base: string;
  f: ListFilters;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {props.page > 1 && (
        <a rel="prev" href={listUrl(props.base, { ...props.f, page: String(props.page - 1) })}>
          Previous
        </a>
      )}
      <span>
        Page {props.page} of {pages}
      </span>
      {props.page < pages && (
        <a rel="next" href={listUrl(props.base, { ...props.f, page: String(props.page + 1) })}>
          Next
        </a>
      )}
    </nav>
  );
}

/**
 * The product gallery: one large view and a thumbnail per image. Without
 * JavaScript each thumbnail is a link to `?image=N` (a cached page of its
 * own); the client script swaps the large view in place instead.
 */
export function Gallery(props: { slug: string; title: string; images: string[]; selected: number }) {
  const { images, title } = props;
  const selected = props.selected < images.length ? props.selected : 0;
  if (!images.length) return <div class="gallery" />;
  return (
    <div class="gallery" data-gallery="">
      <img
        class="gallery-main"
        src={images[selected]}
        alt={`${title}, view ${selected + 1} of ${images.length}`}
        width="480"
        height="360"
        data-gallery-main=""
      />
      {images.length > 1 && (
        <ul class="thumbs" aria-label={`Views of ${title}`}>
          {images.map((src, i) => (
            <li>
              <a
                href={i ? `/p/${props.slug}?image=${i}` : `/p/${props.slug}`}
                aria-current={i === selected ? "true" : undefined}
                data-gallery-thumb={String(i)}
              >
                <img
                  src={src}
                  alt={`View ${i + 1} of ${images.length}`}
                  width="80"
                  height="60"
                  loading="lazy"
                />
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
