import type { Context } from "hono";
import { renderPage } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";

interface LowStockItem {
  sku: string;
  stock: number;
  model: string | null;
  daily_demand: number;
  days_of_cover: number | null;
  reorder: { reorder_point: number; suggested_quantity: number };
}

/** `GET /admin/forecast`: SKUs at or below their reorder point, from the demand forecast. */
export async function forecastPage(c: Context<PageEnv>) {
  const r = await c
    .get("session")
    .api<{ items: LowStockItem[]; lead_time_days: number }>("GET", "/api/ai/forecast/low-stock?limit=100");
  const items = r.ok ? r.body.items : [];
  return renderPage(
    c,
    {
      title: "Console · Low stock",
      description: "Low-stock warnings from the demand forecast.",
      noindex: true,
    },
    <>
      <ConsoleNav current="forecast" />
      <h1>Low stock</h1>
      <p>
        SKUs whose stock is at or below the demand expected during the reorder lead time
        {r.ok ? ` (${r.body.lead_time_days} days)` : ""} plus safety stock.
      </p>
      {items.length === 0 ? (
        <p>No SKU needs reordering.</p>
      ) : (
        <table>
          <caption class="sr-only">SKUs to reorder</caption>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Stock</th>
              <th scope="col">Units/day</th>
              <th scope="col">Days of cover</th>
              <th scope="col">Reorder point</th>
              <th scope="col">Suggested order</th>
              <th scope="col">Model</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr data-sku={i.sku}>
                <td>{i.sku}</td>
                <td>{i.stock}</td>
                <td>{i.daily_demand}</td>
                <td>{i.days_of_cover ?? ""}</td>
                <td>{i.reorder.reorder_point}</td>
                <td>{i.reorder.suggested_quantity}</td>
                <td>{i.model ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
  );
}
