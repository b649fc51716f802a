import type { Context } from "hono";
import { z } from "zod";
import { nextStatuses, ORDER_STATUSES, type OrderStatus } from "../orders/state.ts";
import { formatMoney, type Money } from "../storefront/layout.tsx";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";

interface StaffOrder {
  id: string;
  status: OrderStatus;
  totals: { total: Money };
  created_at: string;
  user_id?: number;
}

/** `GET /admin/orders?status=`: every order, with the transitions the state machine allows. */
export async function ordersPage(c: Context<PageEnv>) {
  const status = (ORDER_STATUSES as readonly string[]).includes(c.req.query("status") ?? "")
    ? c.req.query("status")
    : "";
  const r = await c
    .get("session")
    .api<{ items: StaffOrder[] }>(
      "GET",
      `/api/admin/orders?page_size=50${status ? `&status=${status}` : ""}`,
    );
  const orders = r.ok ? r.body.items : [];
  const flash =
    c.req.query("done") === "ok"
      ? "Order updated."
      : c.req.query("done") === "error"
        ? "That transition was refused."
        : null;
  return renderPage(
    c,
    { title: "Console · Orders", description: "Orders.", noindex: true },
    <>
      <ConsoleNav current="orders" />
      <h1>Orders</h1>
      <form action="/admin/orders" method="get">
        <label for="o-status">Status</label>{" "}
        <select id="o-status" name="status">
          <option value="">All</option>
          {ORDER_STATUSES.map((s) => (
            <option value={s} selected={s === status}>
              {s}
            </option>
          ))}
        </select>{" "}
        <button type="submit">Filter</button>
      </form>
      <table>
        <caption class="sr-only">Orders</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Placed</th>
            <th scope="col">Customer</th>
            <th scope="col">Total</th>
            <th scope="col">Status</th>
            <th scope="col">Move to</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr>
              <td>{o.id.slice(0, 8)}</td>
              <td>{o.created_at.slice(0, 16).replace("T", " ")}</td>
              <td>{o.user_id ?? ""}</td>
              <td>{formatMoney(o.totals.total)}</td>
              <td data-status={o.status}>{o.status}</td>
              <td>
                {nextStatuses(o.status).length > 0 && (
                  <form action={`/admin/orders/${o.id}/transition`} method="post" class="inline">
                    <label for={`to-${o.id}`} class="sr-only">
                      New status of order {o.id.slice(0, 8)}
                    </label>
                    <select id={`to-${o.id}`} name="to">
                      {nextStatuses(o.status).map((s) => (
                        <option value={s}>{s}</option>
                      ))}
                    </select>{" "}
                    <button type="submit">Apply</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
    { flash },
  );
}

const transitionForm = z.object({ to: z.enum(ORDER_STATUSES) });

/** `POST /admin/orders/:id/transition`. */
export async function transitionOrder(c: Context<PageEnv>) {
  const id = c.req.param("id") ?? "";
  const f = transitionForm.safeParse(await c.req.parseBody());
  if (!/^[0-9a-f-]{36}$/.test(id) || !f.success) return seeOther(c, "/admin/orders?done=error");
  const r = await c
    .get("session")
    .api("POST", `/api/admin/orders/${id}/transition`, { json: { to: f.data.to } });
  return seeOther(c, `/admin/orders?done=${r.ok ? "ok" : "error"}`);
}
