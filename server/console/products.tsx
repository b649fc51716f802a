import type { Context } from "hono";
import { formatMoney } from "../storefront/layout.tsx";
import { renderPage } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";
import type { AdminProduct } from "./product-edit.tsx";

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
      <p>
        <a class="button" href="/admin/products/new">
          New product
        </a>
      </p>
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
