import type { Context } from "hono";
import { z } from "zod";
import { canTransition, nextStatuses, ORDER_STATUSES, type OrderStatus } from "../orders/state.ts";
import { formatMoney, type Money } from "../storefront/layout.tsx";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { FormError, problemText } from "./forms.tsx";
import { ConsoleNav } from "./nav.tsx";

interface StaffOrder {
  id: string;
  status: OrderStatus;
  totals: { total: Money };
  created_at: string;
  user_id?: number;
}

/** `GET /admin/orders?status=`: every order, with the transitions the state machine allows. */
export function ordersPage(c: Context<PageEnv>) {
  return ordersView(c, null);
}

/** The orders page; after a refused transition shown again with the reason and a 4xx status. */
async function ordersView(
  c: Context<PageEnv>,
  error: string | null,
  httpStatus: 200 | 404 | 409 | 422 = 200,
) {
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
  const flash = error ? null : (FLASH[c.req.query("done") ?? ""] ?? null);
  return renderPage(
    c,
    { title: "Console · Orders", description: "Orders.", noindex: true },
    <>
      <ConsoleNav current="orders" />
      <h1>Orders</h1>
      <FormError error={error} />
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
                {canTransition(o.status, "refunded") && (
                  <form action={`/admin/orders/${o.id}/refund`} method="post" class="inline">
                    <button type="submit" aria-label={`Refund order ${o.id.slice(0, 8)}`}>
                      Refund
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
    { flash, status: httpStatus },
  );
}

const FLASH: Record<string, string> = {
  ok: "Order updated.",
  refunded: "Order refunded: the payment goes back to the card.",
};

const transitionForm = z.object({ to: z.enum(ORDER_STATUSES) });
const orderId = z.uuid();

async function transition(c: Context<PageEnv>, to: OrderStatus, done: string) {
  const id = orderId.safeParse(c.req.param("id"));
  if (!id.success) return ordersView(c, "No such order.", 404);
  const r = await c.get("session").api("POST", `/api/admin/orders/${id.data}/transition`, { json: { to } });
  if (r.ok) return seeOther(c, `/admin/orders?done=${done}`);
  return ordersView(c, problemText(r), r.status === 404 || r.status === 409 ? r.status : 422);
}

/** `POST /admin/orders/:id/transition`: one state-machine step (409 page when the machine refuses). */
export async function transitionOrder(c: Context<PageEnv>) {
  const f = transitionForm.safeParse(await c.req.parseBody());
  if (!f.success) return ordersView(c, "Please choose a status.", 422);
  return transition(c, f.data.to, "ok");
}

/**
 * `POST /admin/orders/:id/refund`: the order becomes refunded; captured
 * payments are marked refunded in the same transaction and the provider is
 * told after the commit (orders' transition), stock comes back if the goods never left.
 */
export function refundOrder(c: Context<PageEnv>) {
  return transition(c, "refunded", "refunded");
}
