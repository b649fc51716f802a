import type { Context } from "hono";
import { z } from "zod";
import { type CartReply, currentCart, Totals } from "./cart-pages.tsx";
import { type PageStatus, renderPage, seeOther } from "./render.tsx";
import type { PageEnv, PageSession } from "./session.ts";

const checkoutForm = z.object({
  idempotency_key: z.string().uuid(),
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  postal_code: z.string().trim().min(1).max(20),
  country: z.string().trim().length(2),
  card: z.string().trim().min(1).max(64),
});
type CheckoutForm = z.output<typeof checkoutForm>;

function Field(props: {
  id: keyof CheckoutForm;
  label: string;
  value?: string;
  required?: boolean;
  hint?: string;
}) {
  return (
    <p>
      <label for={`co-${props.id}`}>{props.label}</label>
      <input
        id={`co-${props.id}`}
        name={props.id}
        value={props.value ?? ""}
        required={props.required ?? true}
        aria-describedby={props.hint ? `co-${props.id}-hint` : undefined}
      />
      {props.hint && (
        <small id={`co-${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      )}
    </p>
  );
}

/**
 * The checkout form. Each render carries a fresh idempotency key: a double
 * submit of the same form reuses it (one order), a new attempt after a
 * decline gets a new one. A re-rendered form answers with its 4xx (422 for
 * the form, 402 for a decline, 409 for stock) and the reason in an alert.
 */
function checkoutView(
  c: Context<PageEnv>,
  cart: CartReply,
  prev: Partial<CheckoutForm>,
  error: string | null,
  status: PageStatus = 200,
) {
  return renderPage(
    c,
    { title: "Checkout", description: "Shipping and payment.", noindex: true },
    <>
      <h1>Checkout</h1>
      {error && (
        <p class="error" role="alert" data-checkout-error="">
          {error}
        </p>
      )}
      <Totals totals={cart.totals} />
      <form action="/checkout" method="post" data-checkout="">
        <input type="hidden" name="idempotency_key" value={crypto.randomUUID()} />
        <fieldset>
          <legend>Shipping address</legend>
          <Field id="name" label="Full name" value={prev.name} />
          <Field id="line1" label="Address line 1" value={prev.line1} />
          <Field id="line2" label="Address line 2 (optional)" value={prev.line2} required={false} />
          <Field id="city" label="City" value={prev.city} />
          <Field id="postal_code" label="Postal code" value={prev.postal_code} />
          <Field id="country" label="Country (2 letters)" value={prev.country ?? "US"} />
        </fieldset>
        <fieldset>
          <legend>Payment</legend>
          <Field
            id="card"
            label="Test card token"
            value={prev.card ?? "tok_visa"}
            hint="tok_visa pays, tok_decline is declined."
          />
        </fieldset>
        <button type="submit" data-place-order="">
          Place order
        </button>
      </form>
    </>,
    { status },
  );
}

/** `GET /checkout` (signed in, non-empty cart). */
export async function checkoutPage(c: Context<PageEnv>) {
  const s = c.get("session");
  if (!s.user) return seeOther(c, "/signin?next=/checkout");
  const cart = await currentCart(s);
  if (!cart?.items.length) return seeOther(c, "/cart");
  return checkoutView(c, cart, {}, null);
}

interface Problem {
  type?: string;
  detail?: string;
}

function isInProgress(p: Problem): boolean {
  return String(p.type).endsWith("checkout-in-progress");
}

/**
 * `POST /checkout`: places the order, or shows why not (the cart stays as it was).
 *
 * The form goes to the API before the cart is looked at: when a double click's
 * second post arrives after the first has already placed the order, the cart is
 * empty by then, and only the idempotency key can tell "this order was just
 * placed" (the API replays it) from "there is nothing to buy" (back to the cart).
 */
export async function placeOrder(c: Context<PageEnv>) {
  const s = c.get("session");
  if (!s.user) return seeOther(c, "/signin?next=/checkout");
  const raw = (await c.req.parseBody()) as Record<string, string>;
  const parsed = checkoutForm.safeParse({ ...raw, line2: raw.line2 || undefined });
  if (!parsed.success) return formError(c, raw, "Please fill in every required field.", 422);
  const f = parsed.data;
  const r = await submitCheckout(s, f);
  if (r.ok) return seeOther(c, `/account/orders/${r.body.id}?placed=1`);
  if (r.status === 402) {
    return formError(
      c,
      f,
      "Your card was declined. Nothing was charged and your cart is unchanged: try another card.",
      402,
    );
  }
  if (r.status === 409 && isInProgress(r.body)) {
    // the first click's charge outlasted our wait: its order may still come, so no "out of stock"
    return formError(c, f, "Your order is still being placed. Please check your orders shortly.", 503);
  }
  if (r.status === 409) {
    return formError(
      c,
      f,
      "Some items are no longer in stock in that quantity. Please review your cart.",
      409,
    );
  }
  return formError(
    c,
    f,
    "The order could not be placed. Please check the details and try again.",
    r.status >= 500 ? 503 : 422,
  );
}

/** Shows the form again with the reason, or sends the shopper to the cart when it is empty. */
async function formError(
  c: Context<PageEnv>,
  prev: Partial<CheckoutForm>,
  error: string,
  status: PageStatus,
) {
  const cart = await currentCart(c.get("session"));
  if (!cart?.items.length) return seeOther(c, "/cart");
  return checkoutView(c, cart, prev, error, status);
}

/**
 * Posts the form to `/api/checkout` under its idempotency key. A second click
 * while the first is still charging gets "in progress": it waits for the
 * first's answer under the same key, so both land on the one order.
 */
async function submitCheckout(s: PageSession, f: CheckoutForm) {
  const body = {
    shipping_address: {
      name: f.name,
      line1: f.line1,
      ...(f.line2 ? { line2: f.line2 } : {}),
      city: f.city,
      postal_code: f.postal_code,
      country: f.country.toUpperCase(),
    },
    payment: { method: "test_card", token: f.card },
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await s.api<{ id: string } & Problem>("POST", "/api/checkout", {
      json: body,
      key: f.idempotency_key,
    });
    if (!(r.status === 409 && isInProgress(r.body)) || Date.now() >= deadline) return r;
    await Bun.sleep(100);
  }
}
