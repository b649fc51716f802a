import type { Context } from "hono";
import { z } from "zod";
import { formatMoney, type Money } from "../storefront/layout.tsx";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";

interface AdminProduct {
  id: number;
  slug: string;
  title: string;
  status: "active" | "archived";
  variants: { sku: string; title: string; price: Money; stock: number }[];
}

/** `GET /admin/products`: the product list with prices and stock. */
export async function productsPage(c: Context<PageEnv>) {
  const page = Math.max(1, Number(c.req.query("page") ?? 1) || 1);
  const r = await c
    .get("session")
    .api<{ items: AdminProduct[]; total: number }>(
      "GET",
      `/api/admin/products?status=all&page_size=50&page=${page}`,
    );
  const items = r.ok ? r.body.items : [];
  return renderPage(
    c,
    { title: "Console · Products", description: "Products.", noindex: true },
    <>
      <ConsoleNav current="products" />
      <h1>Products</h1>
      <table>
        <caption class="sr-only">Products</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Status</th>
            <th scope="col">Variants (price, stock)</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr>
              <td>
                <a href={`/admin/products/${p.id}`}>{p.title}</a>
              </td>
              <td>{p.status}</td>
              <td>{p.variants.map((v) => `${v.sku}: ${formatMoney(v.price)}, ${v.stock}`).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav class="pager" aria-label="Pages">
        {page > 1 && <a href={`/admin/products?page=${page - 1}`}>Previous</a>}
        {r.ok && page * 50 < r.body.total && <a href={`/admin/products?page=${page + 1}`}>Next</a>}
      </nav>
    </>,
  );
}

const FLASH: Record<string, string> = {
  price: "Price saved.",
  stock: "Stock adjusted.",
  archived: "Product archived.",
  error: "That change was refused: check the values.",
};

/** `GET /admin/products/:id`: edit prices, adjust stock with a reason, archive. */
export async function productEditPage(c: Context<PageEnv>) {
  const id = Number(c.req.param("id"));
  const r = Number.isInteger(id)
    ? await c.get("session").api<AdminProduct>("GET", `/api/admin/products/${id}`)
    : null;
  if (!r?.ok) return seeOther(c, "/admin/products");
  const p = r.body;
  return renderPage(
    c,
    { title: `Console · ${p.title}`, description: "Edit product.", noindex: true },
    <>
      <ConsoleNav current="products" />
      <h1>{p.title}</h1>
      <p>
        Status: {p.status} · <a href={`/p/${p.slug}`}>View in the shop</a>
      </p>
      {p.variants.map((v) => (
        <section class="variant-admin" aria-label={`Variant ${v.sku}`}>
          <h2>
            {v.sku} {v.title && `(${v.title})`}
          </h2>
          <form action={`/admin/products/${p.id}/price`} method="post">
            <input type="hidden" name="sku" value={v.sku} />
            <label for={`price-${v.sku}`}>Price in cents ({v.price.currency})</label>{" "}
            <input id={`price-${v.sku}`} name="amount" type="number" min="0" value={String(v.price.amount)} />{" "}
            <input type="hidden" name="currency" value={v.price.currency} />
            <button type="submit">Save price</button>
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
      ))}
      {p.status === "active" && (
        <form action={`/admin/products/${p.id}/archive`} method="post">
          <button type="submit">Archive product</button>
        </form>
      )}
    </>,
    { flash: FLASH[c.req.query("done") ?? ""] ?? null },
  );
}

const priceForm = z.object({
  sku: z.string().min(1).max(64),
  amount: z.coerce.number().int().min(0).max(100_000_000),
  currency: z.string().length(3),
});
const stockForm = z.object({
  sku: z.string().min(1).max(64),
  delta: z.coerce.number().int(),
  reason: z.string().trim().min(1).max(500),
});

/** `POST /admin/products/:id/price`. */
export async function savePrice(c: Context<PageEnv>) {
  const id = Number(c.req.param("id"));
  const f = priceForm.safeParse(await c.req.parseBody());
  if (!Number.isInteger(id) || !f.success) return seeOther(c, `/admin/products/${id || ""}?done=error`);
  const r = await c.get("session").api("PATCH", `/api/admin/products/${id}`, {
    json: { variants: [{ sku: f.data.sku, price: { amount: f.data.amount, currency: f.data.currency } }] },
  });
  return seeOther(c, `/admin/products/${id}?done=${r.ok ? "price" : "error"}`);
}

/** `POST /admin/products/:id/stock`: an audited adjustment with its reason. */
export async function adjustStock(c: Context<PageEnv>) {
  const id = Number(c.req.param("id"));
  const f = stockForm.safeParse(await c.req.parseBody());
  if (!Number.isInteger(id) || !f.success) return seeOther(c, `/admin/products/${id || ""}?done=error`);
  const r = await c
    .get("session")
    .api("POST", `/api/admin/inventory/${encodeURIComponent(f.data.sku)}/adjust`, {
      json: { delta: f.data.delta, reason: f.data.reason },
    });
  return seeOther(c, `/admin/products/${id}?done=${r.ok ? "stock" : "error"}`);
}

/** `POST /admin/products/:id/archive`. */
export async function archiveProduct(c: Context<PageEnv>) {
  const id = Number(c.req.param("id"));
  if (!Number.isInteger(id)) return seeOther(c, "/admin/products");
  const r = await c.get("session").api("DELETE", `/api/admin/products/${id}`);
  return seeOther(c, `/admin/products/${id}?done=${r.ok ? "archived" : "error"}`);
}
