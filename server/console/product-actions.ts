import type { Context } from "hono";
import { z } from "zod";
import { seeOther } from "../storefront/render.tsx";
import type { ApiReply, PageEnv } from "../storefront/session.ts";
import { formStatus, imageLines, problemText } from "./forms.tsx";
import { productEditView } from "./product-edit.tsx";

/**
 * The edit page's form posts. Each is checked with zod, sent to the admin API
 * (which checks again and audits), then answered POST-redirect-GET on success
 * or with the edit page again, its reasons and a 4xx status, on failure.
 */

const sku = z.string().trim().min(1).max(64);
const amount = z.coerce.number().int().min(0).max(1_000_000_000_000);
const currency = z.string().regex(/^[A-Z]{3}$/);

const detailsForm = z.object({
  title: z.string().trim().min(1).max(300),
  brand: z.string().trim().max(120).default(""),
  category: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(""),
  images: z.string().max(100_000).default(""),
});
const variantForm = z.object({ sku, title: z.string().trim().max(200).default(""), amount, currency });
const stockForm = z.object({
  sku,
  delta: z.coerce.number().int().min(-1_000_000_000).max(1_000_000_000),
  reason: z.string().trim().min(1).max(500),
});

function productId(c: Context<PageEnv>): number | null {
  const id = Number(c.req.param("id"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function invalid(c: Context<PageEnv>, id: number, error: z.ZodError) {
  const fields = error.issues.map((i) => i.path.join(".") || "form").join(", ");
  return productEditView(c, id, `Please check: ${fields}.`, 422);
}

function answer(c: Context<PageEnv>, id: number, r: ApiReply, done: string) {
  if (r.ok) return seeOther(c, `/admin/products/${id}?done=${done}`);
  return productEditView(c, id, problemText(r), formStatus(r));
}

/** `POST /admin/products/:id/details`: title, brand, category, description, images by URL. */
export async function saveDetails(c: Context<PageEnv>) {
  const id = productId(c);
  if (id === null) return seeOther(c, "/admin/products");
  const f = detailsForm.safeParse(await c.req.parseBody());
  if (!f.success) return invalid(c, id, f.error);
  const { images, ...rest } = f.data;
  const r = await c
    .get("session")
    .api("PATCH", `/api/admin/products/${id}`, { json: { ...rest, images: imageLines(images) } });
  return answer(c, id, r, "details");
}

/** `POST /admin/products/:id/price`: a variant's title and price. */
export async function saveVariant(c: Context<PageEnv>) {
  const id = productId(c);
  if (id === null) return seeOther(c, "/admin/products");
  const f = variantForm.safeParse(await c.req.parseBody());
  if (!f.success) return invalid(c, id, f.error);
  const { amount: a, currency: cur, ...v } = f.data;
  const r = await c.get("session").api("PATCH", `/api/admin/products/${id}`, {
    json: { variants: [{ ...v, price: { amount: a, currency: cur } }] },
  });
  return answer(c, id, r, "price");
}

/** `POST /admin/products/:id/variants`: a new SKU (stock then arrives through adjustments). */
export async function addVariant(c: Context<PageEnv>) {
  const id = productId(c);
  if (id === null) return seeOther(c, "/admin/products");
  const f = variantForm.safeParse(await c.req.parseBody());
  if (!f.success) return invalid(c, id, f.error);
  const { amount: a, currency: cur, ...v } = f.data;
  const r = await c.get("session").api("PATCH", `/api/admin/products/${id}`, {
    json: { variants: [{ ...v, price: { amount: a, currency: cur }, stock: 0 }] },
  });
  return answer(c, id, r, "variant");
}

/** `POST /admin/products/:id/stock`: an audited adjustment with its reason (409 below zero). */
export async function adjustStock(c: Context<PageEnv>) {
  const id = productId(c);
  if (id === null) return seeOther(c, "/admin/products");
  const f = stockForm.safeParse(await c.req.parseBody());
  if (!f.success) return invalid(c, id, f.error);
  const r = await c
    .get("session")
    .api("POST", `/api/admin/inventory/${encodeURIComponent(f.data.sku)}/adjust`, {
      json: { delta: f.data.delta, reason: f.data.reason },
    });
  return answer(c, id, r, "stock");
}

/** `POST /admin/products/:id/archive`. */
export async function archiveProduct(c: Context<PageEnv>) {
  const id = productId(c);
  if (id === null) return seeOther(c, "/admin/products");
  const r = await c.get("session").api("DELETE", `/api/admin/products/${id}`);
  return answer(c, id, r, "archived");
}
