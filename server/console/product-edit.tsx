import type { Context } from "hono";
import { formatMoney, type Money } from "../storefront/layout.tsx";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { CategorySelect, FormError } from "./forms.tsx";
import { ConsoleNav } from "./nav.tsx";

/** A product as `GET /api/admin/products/:id` returns it. */
export interface AdminProduct {
  id: number;
  slug: string;
  title: string;
  brand: string;
  description: string;
  images: string[];
  category: { slug: string; name: string };
  status: "active" | "archived";
  variants: { sku: string; title: string; price: Money; stock: number }[];
}

/** One row of the stock audit list. */
interface Adjustment {
  sku: string;
  delta: number;
  quantity_after: number;
  reason: string;
  actor: { id: number; email: string | null } | null;
  created_at: string;
}

const FLASH: Record<string, string> = {
  created: "Product created.",
  details: "Details saved.",
  price: "Variant saved.",
  variant: "Variant added.",
  stock: "Stock adjusted.",
  archived: "Product archived.",
  error: "That change was refused: check the values.",
};

function DetailsForm(props: { p: AdminProduct; categories: { slug: string; name: string }[] }) {
  const { p } = props;
  return (
    <form action={`/admin/products/${p.id}/details`} method="post" class="console-form">
      <h2>Details</h2>
      <p>
        <label for="pd-title">Title</label>
        <input id="pd-title" name="title" value={p.title} required maxlength={300} />
      </p>
      <p>
        <label for="pd-brand">Brand</label>
        <input id="pd-brand" name="brand" value={p.brand} maxlength={120} />
      </p>
      <p>
        <label for="pd-category">Category</label>
        <CategorySelect id="pd-category" categories={props.categories} selected={p.category.slug} />
      </p>
      <p>
        <label for="pd-description">Description</label>
        <textarea id="pd-description" name="description" rows={4}>
          {p.description}
        </textarea>
      </p>
      <p>
        <label for="pd-images">Image URLs (one per line: https://… or /media/…)</label>
        <textarea id="pd-images" name="images" rows={3}>
          {p.images.join("\n")}
        </textarea>
      </p>
      <button type="submit">Save details</button>
    </form>
  );
}

function VariantForms(props: { p: AdminProduct; v: AdminProduct["variants"][number] }) {
  const { p, v } = props;
  return (
    <section class="variant-admin" aria-label={`Variant ${v.sku}`}>
      <h3>
        {v.sku} {v.title && `(${v.title})`} · {formatMoney(v.price)}
      </h3>
      <form action={`/admin/products/${p.id}/price`} method="post">
        <input type="hidden" name="sku" value={v.sku} />
        <label for={`vtitle-${v.sku}`}>Variant title</label>{" "}
        <input id={`vtitle-${v.sku}`} name="title" value={v.title} maxlength={200} />{" "}
        <label for={`price-${v.sku}`}>Price in cents ({v.price.currency})</label>{" "}
        <input id={`price-${v.sku}`} name="amount" type="number" min="0" value={String(v.price.amount)} />{" "}
        <input type="hidden" name="currency" value={v.price.currency} />
        <button type="submit">Save variant</button>
      </form>
      <form action={`/admin/products/${p.id}/stock`} method="post">
        <input type="hidden" name="sku" value={v.sku} />
        <p>
          Stock on hand: <strong data-stock-of={v.sku}>{v.stock}</strong>
        </p>
        <label for={`delta-${v.sku}`}>Change (+/-)</label>{" "}
        <input id={`delta-${v.sku}`} name="delta" type="number" required />{" "}
        <label for={`reason-${v.sku}`}>Reason</label>{" "}
        <input id={`reason-${v.sku}`} name="reason" required maxlength={500} />{" "}
        <button type="submit">Adjust stock</button>
      </form>
    </section>
  );
}

function NewVariantForm(props: { p: AdminProduct }) {
  const currency = props.p.variants[0]?.price.currency ?? "USD";
  return (
    <form action={`/admin/products/${props.p.id}/variants`} method="post">
      <h3>Add a variant</h3>
      <label for="nv-sku">SKU</label> <input id="nv-sku" name="sku" required maxlength={64} />{" "}
      <label for="nv-title">Title</label> <input id="nv-title" name="title" maxlength={200} />{" "}
      <label for="nv-amount">Price in cents ({currency})</label>{" "}
      <input id="nv-amount" name="amount" type="number" min="0" required />{" "}
      <input type="hidden" name="currency" value={currency} />
      <button type="submit">Add variant</button>
    </form>
  );
}

function AuditList(props: { rows: Adjustment[] }) {
  if (!props.rows.length) return <p>No stock adjustments yet.</p>;
  return (
    <table data-audit="">
      <caption class="sr-only">Stock adjustments, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">SKU</th>
          <th scope="col">Change</th>
          <th scope="col">After</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((a) => (
          <tr>
            <td>{a.created_at.slice(0, 19).replace("T", " ")}</td>
            <td>{a.actor ? (a.actor.email ?? `user ${a.actor.id}`) : "system"}</td>
            <td>{a.sku}</td>
            <td>{a.delta > 0 ? `+${a.delta}` : String(a.delta)}</td>
            <td>{a.quantity_after}</td>
            <td>{a.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `GET /admin/products/:id`: details and images, variants, stock with its audit list, archive. */
export function productEditPage(c: Context<PageEnv>) {
  return productEditView(c, Number(c.req.param("id")), null);
}

/**
 * The edit page; after a refused change it is shown again with the API's
 * reasons and a 4xx status (`error`, `status`) instead of redirecting.
 */
export async function productEditView(
  c: Context<PageEnv>,
  id: number,
  error: string | null,
  status: 200 | 400 | 404 | 409 | 422 = 200,
) {
  const api = c.get("session").api;
  const r = Number.isInteger(id) ? await api<AdminProduct>("GET", `/api/admin/products/${id}`) : null;
  if (!r?.ok) return seeOther(c, "/admin/products");
  const p = r.body;
  const skus = p.variants.map((v) => `sku=${encodeURIComponent(v.sku)}`).join("&");
  const [cats, audit] = await Promise.all([
    api<{ slug: string; name: string }[]>("GET", "/api/admin/categories"),
    api<{ items: Adjustment[] }>("GET", `/api/admin/inventory/adjustments?${skus}`),
  ]);
  return renderPage(
    c,
    { title: `Console · ${p.title}`, description: "Edit product.", noindex: true },
    <>
      <ConsoleNav current="products" />
      <h1>{p.title}</h1>
      <FormError error={error} />
      <p>
        Status: {p.status} · <a href={`/p/${p.slug}`}>View in the shop</a>
      </p>
      <div class="thumbs">
        {p.images.map((src, i) => (
          <img src={src} alt={`${p.title}, view ${i + 1}`} width="120" height="90" />
        ))}
      </div>
      <DetailsForm p={p} categories={cats.ok ? cats.body : [p.category]} />
      <h2>Variants</h2>
      {p.variants.map((v) => (
        <VariantForms p={p} v={v} />
      ))}
      <NewVariantForm p={p} />
      <h2>Stock adjustments</h2>
      <AuditList rows={audit.ok ? audit.body.items : []} />
      {p.status === "active" && (
        <form action={`/admin/products/${p.id}/archive`} method="post">
          <button type="submit">Archive product</button>
        </form>
      )}
    </>,
    { flash: error ? null : (FLASH[c.req.query("done") ?? ""] ?? null), status },
  );
}
