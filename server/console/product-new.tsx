import type { Context } from "hono";
import { z } from "zod";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { CategorySelect, FormError, formStatus, imageLines, problemText } from "./forms.tsx";
import { ConsoleNav } from "./nav.tsx";

/** The new-product form's fields (the API validates the values again, strictly). */
const newProductForm = z.object({
  title: z.string().trim().min(1).max(300),
  slug: z.string().trim().max(200).optional(),
  brand: z.string().trim().max(120).default(""),
  category: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).default(""),
  images: z.string().max(100_000).default(""),
  sku: z.string().trim().min(1).max(64),
  variant_title: z.string().trim().max(200).default(""),
  amount: z.coerce.number().int().min(0).max(1_000_000_000_000),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/),
  stock: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
type NewProductValues = Partial<Record<keyof z.input<typeof newProductForm>, string>>;

async function categoriesOf(c: Context<PageEnv>) {
  const r = await c.get("session").api<{ slug: string; name: string }[]>("GET", "/api/admin/categories");
  return r.ok ? r.body : [];
}

function NewProductForm(props: { v: NewProductValues; categories: { slug: string; name: string }[] }) {
  const { v } = props;
  const field = (id: keyof NewProductValues, label: string, extra: Record<string, unknown> = {}) => (
    <p>
      <label for={`np-${id}`}>{label}</label>
      <input id={`np-${id}`} name={id} value={v[id] ?? ""} {...extra} />
    </p>
  );
  return (
    <form action="/admin/products/new" method="post" class="console-form">
      {field("title", "Title", { required: true, maxlength: 300 })}
      {field("slug", "Slug (optional: made from the title)", { pattern: "[a-z0-9\\-]*" })}
      {field("brand", "Brand", { maxlength: 120 })}
      <p>
        <label for="np-category">Category</label>
        <CategorySelect id="np-category" categories={props.categories} selected={v.category} />
      </p>
      <p>
        <label for="np-description">Description</label>
        <textarea id="np-description" name="description" rows={4}>
          {v.description ?? ""}
        </textarea>
      </p>
      <p>
        <label for="np-images">Image URLs (one per line: https://… or /media/…)</label>
        <textarea id="np-images" name="images" rows={3}>
          {v.images ?? ""}
        </textarea>
      </p>
      <fieldset>
        <legend>First variant</legend>
        {field("sku", "SKU", { required: true, maxlength: 64 })}
        {field("variant_title", "Variant title (optional)")}
        {field("amount", "Price in cents", { type: "number", min: "0", required: true })}
        {field("currency", "Currency", { maxlength: 3, required: true })}
        {field("stock", "Stock on hand", { type: "number", min: "0" })}
      </fieldset>
      <button type="submit">Create product</button>
    </form>
  );
}

function newProductPage(
  c: Context<PageEnv>,
  v: NewProductValues,
  categories: { slug: string; name: string }[],
  error: string | null,
  status: 200 | 400 | 409 | 422 = 200,
) {
  return renderPage(
    c,
    { title: "Console · New product", description: "Create a product.", noindex: true },
    <>
      <ConsoleNav current="products" />
      <h1>New product</h1>
      <FormError error={error} />
      <NewProductForm v={v} categories={categories} />
    </>,
    { status },
  );
}

/** `GET /admin/products/new`. */
export async function newProductFormPage(c: Context<PageEnv>) {
  return newProductPage(c, { currency: "USD", stock: "0" }, await categoriesOf(c), null);
}

/** `POST /admin/products/new`: creates through the admin API; shows the form again with the reasons on failure (422/409). */
export async function createProduct(c: Context<PageEnv>) {
  const raw = (await c.req.parseBody()) as NewProductValues;
  const f = newProductForm.safeParse({ ...raw, slug: raw.slug || undefined });
  if (!f.success) {
    const fields = f.error.issues.map((i) => i.path.join(".")).join(", ");
    return newProductPage(c, raw, await categoriesOf(c), `Please check: ${fields}.`, 422);
  }
  const d = f.data;
  const r = await c.get("session").api<{ id: number }>("POST", "/api/admin/products", {
    json: {
      title: d.title,
      ...(d.slug ? { slug: d.slug } : {}),
      brand: d.brand,
      category: d.category,
      description: d.description,
      images: imageLines(d.images),
      variants: [
        {
          sku: d.sku,
          title: d.variant_title,
          price: { amount: d.amount, currency: d.currency.toUpperCase() },
          stock: d.stock,
        },
      ],
    },
  });
  if (!r.ok) {
    const status = formStatus(r);
    return newProductPage(c, raw, await categoriesOf(c), problemText(r), status === 404 ? 422 : status);
  }
  return seeOther(c, `/admin/products/${r.body.id}?done=created`);
}
