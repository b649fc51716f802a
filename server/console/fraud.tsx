import type { Context } from "hono";
import { z } from "zod";
import { formatMoney, type Money } from "../storefront/layout.tsx";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";

interface HeldOrder {
  id: string;
  totals: { total: Money };
  created_at: string;
  user_id?: number;
  risk?: { score: number; reasons: string[] } | null;
}

/** `GET /admin/fraud`: orders the fraud scorer held, with score, reasons and approve/reject. */
export async function fraudPage(c: Context<PageEnv>) {
  const r = await c
    .get("session")
    .api<{ items: HeldOrder[] }>("GET", "/api/admin/fraud/reviews?page_size=50");
  const orders = r.ok ? r.body.items : [];
  const done = c.req.query("done");
  const flash =
    done === "approve"
      ? "Order approved."
      : done === "reject"
        ? "Order rejected and refunded."
        : done === "error"
          ? "That decision was refused."
          : null;
  return renderPage(
    c,
    { title: "Console · Fraud review", description: "Orders held for fraud review.", noindex: true },
    <>
      <ConsoleNav current="fraud" />
      <h1>Fraud review</h1>
      {orders.length === 0 ? (
        <p>No order is waiting for review.</p>
      ) : (
        <table>
          <caption class="sr-only">Orders held for review</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Customer</th>
              <th scope="col">Total</th>
              <th scope="col">Score</th>
              <th scope="col">Reasons</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr data-order={o.id}>
                <td>{o.id.slice(0, 8)}</td>
                <td>{o.created_at.slice(0, 16).replace("T", " ")}</td>
                <td>{o.user_id ?? ""}</td>
                <td>{formatMoney(o.totals.total)}</td>
                <td>{o.risk ? o.risk.score.toFixed(2) : ""}</td>
                <td>{o.risk?.reasons.join(", ") ?? ""}</td>
                <td>
                  <form action={`/admin/fraud/${o.id}`} method="post" class="inline">
                    <label for={`note-${o.id}`} class="sr-only">
                      Note on order {o.id.slice(0, 8)}
                    </label>
                    <input id={`note-${o.id}`} name="note" maxlength={500} placeholder="note" />{" "}
                    <button type="submit" name="decision" value="approve">
                      Approve
                    </button>{" "}
                    <button type="submit" name="decision" value="reject">
                      Reject
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
    { flash },
  );
}

const decisionForm = z.object({
  decision: z.enum(["approve", "reject"]),
  note: z.string().trim().max(500).optional(),
});

/** `POST /admin/fraud/:id`: approve or reject a held order. */
export async function decideFraudReview(c: Context<PageEnv>) {
  const id = c.req.param("id") ?? "";
  const f = decisionForm.safeParse(await c.req.parseBody());
  if (!/^[0-9a-f-]{36}$/.test(id) || !f.success) return seeOther(c, "/admin/fraud?done=error");
  const note = f.data.note || undefined;
  const r = await c.get("session").api("POST", `/api/admin/fraud/reviews/${id}`, {
    json: { decision: f.data.decision, ...(note ? { note } : {}) },
  });
  return seeOther(c, `/admin/fraud?done=${r.ok ? f.data.decision : "error"}`);
}
