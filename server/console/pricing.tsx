import type { Context } from "hono";
import { z } from "zod";
import { isSku } from "../catalog/skus.ts";
import { formatMoney } from "../storefront/layout.tsx";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";

interface AdviceItem {
  id: number;
  sku: string;
  current_price: number;
  suggested_price: number | null;
  currency: string;
  elasticity: number | null;
  reasons: string[];
  created_at: string;
  decision: "accepted" | "rejected" | null;
  decided_at: string | null;
  note: string | null;
}

const FLASH: Record<string, string> = {
  asked: "Suggestion added.",
  accepted: "Suggestion accepted. Apply the price on the product page.",
  rejected: "Suggestion rejected.",
  error: "That request was refused.",
};

/** `GET /admin/pricing`: the pricing suggestions with their reasons; undecided ones can be accepted or rejected. */
export async function pricingPage(c: Context<PageEnv>) {
  const r = await c.get("session").api<{ items: AdviceItem[] }>("GET", "/api/ai/pricing/advice?limit=100");
  const items = r.ok ? r.body.items : [];
  const money = (amount: number, currency: string) => formatMoney({ amount, currency });
  return renderPage(
    c,
    { title: "Console · Pricing advice", description: "Price suggestions and decisions.", noindex: true },
    <>
      <ConsoleNav current="pricing" />
      <h1>Pricing advice</h1>
      <p>
        Suggestions from each SKU's demand forecast, stock and price elasticity. Accepting records the
        decision only: change the price on the product page.
      </p>
      <form action="/admin/pricing/advice" method="post" class="inline">
        <label for="advice-sku">SKU</label> <input id="advice-sku" name="sku" required maxlength={64} />{" "}
        <button type="submit">Ask for a suggestion</button>
      </form>
      {items.length === 0 ? (
        <p>No suggestions yet.</p>
      ) : (
        <table>
          <caption class="sr-only">Pricing suggestions</caption>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Asked</th>
              <th scope="col">Price</th>
              <th scope="col">Suggested</th>
              <th scope="col">Elasticity</th>
              <th scope="col">Reasons</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr data-advice={a.id}>
                <td>{a.sku}</td>
                <td>{a.created_at.slice(0, 16).replace("T", " ")}</td>
                <td>{money(a.current_price, a.currency)}</td>
                <td>{a.suggested_price === null ? "keep" : money(a.suggested_price, a.currency)}</td>
                <td>{a.elasticity === null ? "" : a.elasticity.toFixed(2)}</td>
                <td>
                  <ul>
                    {a.reasons.map((reason) => (
                      <li>{reason}</li>
                    ))}
                  </ul>
                </td>
                <td>{a.decision ? <Decided a={a} /> : <DecisionForm id={a.id} sku={a.sku} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
    { flash: FLASH[c.req.query("done") ?? ""] ?? null },
  );
}

function Decided(props: { a: AdviceItem }) {
  const { a } = props;
  return (
    <span data-decision={a.decision ?? ""}>
      {a.decision} {a.decided_at?.slice(0, 16).replace("T", " ")}
      {a.note ? ` · ${a.note}` : ""}
    </span>
  );
}

function DecisionForm(props: { id: number; sku: string }) {
  return (
    <form action={`/admin/pricing/${props.id}`} method="post" class="inline">
      <label for={`note-${props.id}`} class="sr-only">
        Note on the suggestion for {props.sku}
      </label>
      <input id={`note-${props.id}`} name="note" maxlength={500} placeholder="note" />{" "}
      <button type="submit" name="decision" value="accepted">
        Accept
      </button>{" "}
      <button type="submit" name="decision" value="rejected">
        Reject
      </button>
    </form>
  );
}

const askForm = z.object({ sku: z.string().trim().refine(isSku, "must be a SKU") });
const decisionForm = z.object({
  decision: z.enum(["accepted", "rejected"]),
  note: z.string().trim().max(500).optional(),
});

/** `POST /admin/pricing/advice`: asks for (and stores) a suggestion for one SKU. */
export async function askPricingAdvice(c: Context<PageEnv>) {
  const f = askForm.safeParse(await c.req.parseBody());
  if (!f.success) return seeOther(c, "/admin/pricing?done=error");
  const r = await c
    .get("session")
    .api("POST", `/api/ai/pricing/skus/${encodeURIComponent(f.data.sku)}/advice`);
  return seeOther(c, `/admin/pricing?done=${r.ok ? "asked" : "error"}`);
}

/** `POST /admin/pricing/:id`: accepts or rejects one suggestion (recorded with who decided). */
export async function decidePricingAdvice(c: Context<PageEnv>) {
  const id = c.req.param("id") ?? "";
  const f = decisionForm.safeParse(await c.req.parseBody());
  if (!/^[1-9][0-9]{0,15}$/.test(id) || !f.success) return seeOther(c, "/admin/pricing?done=error");
  const note = f.data.note || undefined;
  const r = await c.get("session").api("POST", `/api/ai/pricing/advice/${id}/decision`, {
    json: { decision: f.data.decision, ...(note ? { note } : {}) },
  });
  return seeOther(c, `/admin/pricing?done=${r.ok ? f.data.decision : "error"}`);
}
