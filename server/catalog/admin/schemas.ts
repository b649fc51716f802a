import { z } from "zod";
import { isSafeText, safeText } from "../../../platform/validate.ts";
import { pageFields } from "../../core/paging.ts";
import { slugSchema } from "../schemas.ts";
import { isSku } from "../skus.ts";

/** Single-line free text of `min` to `max` characters (the shared text-safety rule). */
const text = (max: number, min = 0) => safeText(max, { min });
/** A product description: multi-line free text. */
const description = safeText(20_000, { min: 0, multiline: true });

/** Prices are minor units; this is far above any real price and inside 2^53. */
const MAX_AMOUNT = 1_000_000_000_000;
/** The largest quantity of one SKU (a create or an adjustment may not go above it). */
export const MAX_STOCK = 1_000_000_000;

const moneySchema = z.object({
  amount: z.number().int("must be whole minor units").min(0).max(MAX_AMOUNT),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
});

export const skuSchema = z.string().trim().refine(isSku, "must be 1-64 letters, digits, '.', '_' or '-'");

const stockSchema = z.number().int("must be a whole number").min(0).max(MAX_STOCK);

const newVariant = z.object({
  sku: skuSchema,
  title: text(200).default(""),
  price: moneySchema,
  stock: stockSchema.default(0),
});

/** A variant in a PATCH: an existing SKU changes what is given; a new SKU needs a price. */
const variantChange = z.object({
  sku: skuSchema,
  title: text(200).optional(),
  price: moneySchema.optional(),
  /** Sets the stock; the difference is recorded as an audited adjustment. */
  stock: stockSchema.optional(),
});

/**
 * An image: an absolute http(s) URL, or a path on this site such as
 * `/media/products/7.svg` (what the seed stores and the proxy serves), but not
 * a protocol-relative `//host` one.
 */
const imageUrl = z.union(
  [
    z.url({ protocol: /^https?$/ }).max(2000),
    z
      .string()
      .max(2000)
      .regex(/^\/(?![/\\])[^\s\\]*$/),
  ],
  { error: "must be an http(s) URL or a path starting with /" },
);
const images = z
  .array(imageUrl.refine((s) => isSafeText(s), "must not contain control characters or invalid Unicode"))
  .max(50);

function distinctSkus(variants: { sku: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  variants.forEach((v, i) => {
    if (seen.has(v.sku))
      ctx.addIssue({ code: "custom", path: ["variants", i, "sku"], message: "is repeated" });
    seen.add(v.sku);
  });
}

function oneCurrency(variants: { price?: { currency: string } | undefined }[], ctx: z.RefinementCtx): void {
  const first = variants.find((v) => v.price)?.price?.currency;
  variants.forEach((v, i) => {
    if (v.price && v.price.currency !== first)
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "price", "currency"],
        message: "all variants of a product must share one currency",
      });
  });
}

/** `POST /api/admin/products`. */
export const createProductBody = z
  .object({
    title: text(300, 1),
    slug: slugSchema.optional(),
    description: description.default(""),
    brand: text(120).default(""),
    category: slugSchema,
    images: images.default([]),
    variants: z.array(newVariant).min(1, "a product needs at least one variant").max(100),
  })
  .superRefine((b, ctx) => {
    distinctSkus(b.variants, ctx);
    oneCurrency(b.variants, ctx);
  });
export type CreateProductInput = z.output<typeof createProductBody>;

/** `PATCH /api/admin/products/:id`: every field optional. */
export const updateProductBody = z
  .object({
    title: text(300, 1).optional(),
    slug: slugSchema.optional(),
    description: description.optional(),
    brand: text(120).optional(),
    category: slugSchema.optional(),
    images: images.optional(),
    status: z.enum(["active", "archived"]).optional(),
    variants: z.array(variantChange).max(100).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.variants) {
      distinctSkus(b.variants, ctx);
      oneCurrency(b.variants, ctx);
    }
  });
export type UpdateProductInput = z.output<typeof updateProductBody>;

/** `GET /api/admin/products` query. */
export const adminListQuery = z.object({
  ...pageFields,
  status: z.enum(["active", "archived", "all"]).optional(),
  category: slugSchema.optional(),
  brand: text(120, 1).optional(),
});

/** `POST /api/admin/inventory/:sku/adjust`. */
export const adjustBody = z.object({
  delta: z
    .number()
    .int("must be a whole number")
    .min(-MAX_STOCK)
    .max(MAX_STOCK)
    .refine((d) => d !== 0, "must not be zero"),
  reason: text(500, 1),
});

/** `GET /api/admin/inventory/adjustments`: one to 100 SKUs (repeat `sku`), at most `limit` rows. */
export const adjustmentsQuery = z.object({
  sku: z.array(skuSchema).min(1, "name at least one sku").max(100),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `POST /api/admin/categories`. */
export const createCategoryBody = z.object({
  slug: slugSchema.pipe(z.string().max(120)),
  name: text(200, 1),
  parent_id: z.number().int().positive().nullable().default(null),
  position: z.number().int().min(-1_000_000).max(1_000_000).default(0),
});
export type CreateCategoryInput = z.output<typeof createCategoryBody>;

/** `PATCH /api/admin/categories/:id`. */
export const updateCategoryBody = z.object({
  slug: slugSchema.pipe(z.string().max(120)).optional(),
  name: text(200, 1).optional(),
  parent_id: z.number().int().positive().nullable().optional(),
  position: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});
export type UpdateCategoryInput = z.output<typeof updateCategoryBody>;
