import type { Context } from "hono";
import { z } from "zod";
import { formatMoney, type Money } from "./layout.tsx";
import { renderPage, seeOther } from "./render.tsx";
import { type PageEnv, type PageSession, storeCartToken } from "./session.ts";

/** The cart as the API returns it. */
export interface CartReply {
  id: string;
  token?: string;
  items: { id: number; sku: string; title: string; quantity: number; unit_price: Money; line_total: Money }[];
  totals: { subtotal: Money; shipping: Money; tax: Money; total: Money };
}

/** The session's cart, or null when there is none yet (anonymous, no cart cookie). */
export async function currentCart(s: PageSession): Promise<CartReply | null> {
  if (!s.user && !s.cartToken) return null;
  const r = await s.api<CartReply>("GET", "/api/cart");
  return r.ok ? r.body : null;
}

const addForm = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.coerce.number().int().min(1).max(99).default(1),
});
const qtyForm = z.object({ quantity: z.coerce.number().int().min(0).max(99) });

function wantsJson(c: Context): boolean {
  return (c.req.header("accept") ?? "").includes("application/json");
}

/**
 * `POST /cart/add`: adds a variant (creating an anonymous cart, remembered in
 * a cookie, on first use). A plain form post redirects to the cart; the
 * client script asks for JSON and stays on the page.
 */
export async function addToCart(c: Context<PageEnv>) {
  const parsed = addForm.safeParse(await c.req.parseBody());
  const s = c.get("session");
  if (!parsed.success) {
    return wantsJson(c)
      ? c.json({ error: "Choose a variant and a quantity." }, 422)
      : seeOther(c, "/cart?error=input");
  }
  if (!s.user && !s.cartToken) {
    const created = await s.api<CartReply>("POST", "/api/cart");
    if (!created.ok || !created.body.token) throw new Error(`cart creation failed: ${created.status}`);
    storeCartToken(c, created.body.token);
    s.cartToken = created.body.token;
  }
  const r = await s.api<CartReply & { detail?: string }>("POST", "/api/cart/items", { json: parsed.data });
  if (!r.ok) {
    const msg = r.status === 422 ? "Not enough stock for that quantity." : "Could not add to the cart.";
    return wantsJson(c) ? c.json({ error: msg }, 422) : seeOther(c, "/cart?error=stock");
  }
  const count = r.body.items.reduce((n, i) => n + i.quantity, 0);
  return wantsJson(c)
    ? c.json({ count, message: `Added. ${count} items in your cart.` })
    : seeOther(c, "/cart");
}

/** `POST /cart/items/:id`: new quantity (0 removes the line). */
export async function updateCartItem(c: Context<PageEnv>) {
  const id = Number(c.req.param("id"));
  const parsed = qtyForm.safeParse(await c.req.parseBody());
  if (!Number.isInteger(id) || id < 1 || !parsed.success) return seeOther(c, "/cart?error=input");
  const s = c.get("session");
  const r =
    parsed.data.quantity === 0
      ? await s.api("DELETE", `/api/cart/items/${id}`)
      : await s.api("PATCH", `/api/cart/items/${id}`, { json: { quantity: parsed.data.quantity } });
  return seeOther(c, r.ok ? "/cart" : "/cart?error=stock");
}

const ERRORS: Record<string, string> = {
  stock: "Not enough stock for that quantity.",
  input: "Please choose a variant and a quantity between 1 and 99.",
};

/** `GET /cart`. */
export async function cartPage(c: Context<PageEnv>) {
  const cart = await currentCart(c.get("session"));
  const error = ERRORS[c.req.query("error") ?? ""] ?? null;
  const items = cart?.items ?? [];
  return renderPage(
    c,
    { title: "Your cart", description: "The products in your cart.", noindex: true },
    <>
      <h1>Your cart</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!items.length || !cart ? (
        <p>
          Your cart is empty. <a href="/">Continue shopping</a>.
        </p>
      ) : (
        <>
          <table class="cart">
            <caption class="sr-only">Cart lines</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Unit price</th>
                <th scope="col">Quantity</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr data-sku={i.sku}>
                  <td>{i.title}</td>
                  <td>{formatMoney(i.unit_price)}</td>
                  <td>
                    <form action={`/cart/items/${i.id}`} method="post" class="inline">
                      <label for={`qty-${i.id}`} class="sr-only">
                        Quantity of {i.title}
                      </label>
                      <input
                        id={`qty-${i.id}`}
                        name="quantity"
                        type="number"
                        min="0"
                        max="99"
                        value={String(i.quantity)}
                      />
                      <button type="submit">Update</button>
                    </form>
                  </td>
                  <td>{formatMoney(i.line_total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Totals totals={cart.totals} />
          <p>
            <a class="button" href="/checkout">
              Go to checkout
            </a>
          </p>
        </>
      )}
    </>,
  );
}

/** Subtotal, shipping, tax, total. */
export function Totals(props: { totals: CartReply["totals"] }) {
  const t = props.totals;
  return (
    <dl class="totals">
      <dt>Subtotal</dt>
      <dd>{formatMoney(t.subtotal)}</dd>
      <dt>Shipping</dt>
      <dd>{formatMoney(t.shipping)}</dd>
      <dt>Tax</dt>
      <dd>{formatMoney(t.tax)}</dd>
      <dt>Total</dt>
      <dd data-total="">{formatMoney(t.total)}</dd>
    </dl>
  );
}
