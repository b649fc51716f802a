import { stockStatus } from "../inventory/stock.ts";

/** Money as the API shows it: integer minor units plus ISO currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** A variant as stored, with its stock (from the SQL `variants` json column). */
export interface VariantRow {
  sku: string;
  title: string;
  price: number;
  currency: string;
  quantity: number;
}

/** The product columns every catalog query selects. */
export interface ProductRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  brand: string;
  images: string[];
  status: "active" | "archived";
  currency: string;
  min_price: string;
  max_price: string;
  in_stock: boolean;
  rating_sum: string;
  rating_count: number;
  created_at: Date;
  updated_at: Date;
  category: { id: number; slug: string; name: string };
  variants: VariantRow[];
}

/** A variant on a public route. */
export interface PublicVariant {
  sku: string;
  title: string;
  price: Money;
  stock_status: "in_stock" | "low_stock" | "out_of_stock";
}

/** A variant on an admin route: the public view plus the exact stock. */
export interface AdminVariant extends PublicVariant {
  stock: number;
}

export interface Rating {
  /** Mean of all ratings, two decimals; null while there are none. */
  average: number | null;
  count: number;
}

/** `GET /api/catalog/products/:slug`. */
export interface ProductDetail {
  slug: string;
  title: string;
  description: string;
  brand: string;
  category: { id: number; slug: string; name: string };
  images: string[];
  price: Money;
  max_price: Money;
  in_stock: boolean;
  variants: PublicVariant[];
  rating: Rating;
  created_at: string;
  updated_at: string;
}

/** The admin view: the detail plus id, status and per-variant stock. */
export interface AdminProduct extends Omit<ProductDetail, "variants"> {
  id: number;
  status: "active" | "archived";
  variants: AdminVariant[];
}

/** One entry of the public product list. */
export type ProductListItem = Omit<ProductDetail, "description" | "updated_at">;

const money = (amount: number | string, currency: string): Money => ({
  amount: Number(amount),
  currency: currency.trim(),
});

/** Average from the denormalised sum and count (exact integers on the row). */
export function rating(sum: string | number, count: number): Rating {
  return { average: count > 0 ? Math.round((Number(sum) / count) * 100) / 100 : null, count };
}

function publicVariant(v: VariantRow): PublicVariant {
  return {
    sku: v.sku,
    title: v.title,
    price: money(v.price, v.currency),
    stock_status: stockStatus(v.quantity),
  };
}

/** Shapes a row for the public detail route: the list item plus description and `updated_at`. */
export function presentDetail(r: ProductRow): ProductDetail {
  // Keys in the order clients have always seen: the description right after the title.
  const { slug, title, ...rest } = presentListItem(r);
  return { slug, title, description: r.description, ...rest, updated_at: r.updated_at.toISOString() };
}

/** What a list reads of a product (`productColumns(sql, true)`). */
export type ProductListRow = Omit<ProductRow, "description" | "updated_at">;

/** Shapes a row for the public list. */
export function presentListItem(r: ProductListRow): ProductListItem {
  return {
    slug: r.slug,
    title: r.title,
    brand: r.brand,
    category: r.category,
    images: r.images,
    price: money(r.min_price, r.currency),
    max_price: money(r.max_price, r.currency),
    in_stock: r.in_stock,
    variants: r.variants.map(publicVariant),
    rating: rating(r.rating_sum, r.rating_count),
    created_at: r.created_at.toISOString(),
  };
}

/** Shapes a row for the admin routes. */
export function presentAdmin(r: ProductRow): AdminProduct {
  return {
    id: Number(r.id),
    status: r.status,
    ...presentDetail(r),
    variants: r.variants.map((v) => ({ ...publicVariant(v), stock: v.quantity })),
  };
}
