import type { Context } from "hono";
import { z } from "zod";
import type { AppDeps } from "../core/deps.ts";
import { formatMoney, type Money } from "./layout.tsx";
import { type PageStatus, renderPage, seeOther } from "./render.tsx";
import { clearSession, dropCartToken, type PageEnv, storeTokens } from "./session.ts";

interface OrderReply {
  id: string;
  status: string;
  items: { sku: string; title: string; quantity: number; unit_price: Money; line_total: Money }[];
  totals: { total: Money };
  created_at: string;
}

/** Only same-site relative paths are followed after sign-in (no open redirect). */
function safeNext(v: string | undefined): string {
  return v && /^\/(?!\/)[\w\-/?=&.%]*$/.test(v) ? v : "/account";
}

function AuthForm(props: {
  mode: "signin" | "register";
  next: string;
  email?: string;
  error?: string | null;
}) {
  const register = props.mode === "register";
  return (
    <>
      <h1>{register ? "Create an account" : "Sign in"}</h1>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form action={register ? "/register" : "/signin"} method="post" class="auth">
        <input type="hidden" name="next" value={props.next} />
        {register && (
          <p>
            <label for="a-name">Name</label>
            <input id="a-name" name="name" autocomplete="name" required />
          </p>
        )}
        <p>
          <label for="a-email">Email</label>
          <input
            id="a-email"
            name="email"
            type="email"
            autocomplete="email"
            value={props.email ?? ""}
            required
          />
        </p>
        <p>
          <label for="a-password">Password</label>
          <input
            id="a-password"
            name="password"
            type="password"
            autocomplete={register ? "new-password" : "current-password"}
            minlength={register ? 8 : undefined}
            required
          />
        </p>
        <button type="submit">{register ? "Register" : "Sign in"}</button>
      </form>
      <p>
        {register ? (
          <a href={`/signin?next=${encodeURIComponent(props.next)}`}>I already have an account</a>
        ) : (
          <a href={`/register?next=${encodeURIComponent(props.next)}`}>Create an account</a>
        )}
      </p>
    </>
  );
}

/** `GET /signin` and `GET /register`. */
export function authPage(mode: "signin" | "register") {
  return (c: Context<PageEnv>) =>
    renderPage(
      c,
      { title: mode === "register" ? "Register" : "Sign in", description: "Your account.", noindex: true },
      <AuthForm mode={mode} next={safeNext(c.req.query("next"))} />,
    );
}

const authForm = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
  name: z.string().trim().max(200).optional(),
  next: z.string().optional(),
});

/** `POST /signin` and `POST /register`: sets the session cookies; the anonymous cart is merged. */
export function authPost(deps: AppDeps, mode: "signin" | "register") {
  return async (c: Context<PageEnv>) => {
    const parsed = authForm.safeParse(await c.req.parseBody());
    const next = safeNext(parsed.success ? parsed.data.next : undefined);
    if (!parsed.success) return renderAuthError(c, mode, next, "Please enter an email and a password.", 422);
    const s = c.get("session");
    const path = mode === "register" ? "/api/auth/register" : "/api/auth/login";
    const json =
      mode === "register" ? { ...parsed.data, name: parsed.data.name || parsed.data.email } : parsed.data;
    const { next: _n, ...payload } = json;
    const r = await s.api<{ access_token: string; refresh_token: string; detail?: string }>("POST", path, {
      json: payload,
    });
    if (!r.ok) {
      const msg =
        r.status === 409
          ? "An account with this email already exists."
          : r.status === 401
            ? "Email or password is wrong."
            : r.status === 429
              ? "Too many attempts: please wait a moment and try again."
              : (r.body.detail ?? "Please check the form: passwords need at least 8 characters.");
      return renderAuthError(c, mode, next, msg, authStatus(r.status), parsed.data.email);
    }
    storeTokens(c, deps, r.body);
    dropCartToken(c); // merged into the account's cart by the sign-in
    return seeOther(c, next);
  };
}

/** The page's status after the API refused a sign-in or registration: its own 4xx where a page can say it. */
function authStatus(api: number): PageStatus {
  return api === 401 || api === 409 || api === 429 || api === 400 ? api : 422;
}

function renderAuthError(
  c: Context<PageEnv>,
  mode: "signin" | "register",
  next: string,
  error: string,
  status: PageStatus,
  email = "",
) {
  return renderPage(
    c,
    { title: mode === "register" ? "Register" : "Sign in", description: "Your account.", noindex: true },
    <AuthForm mode={mode} next={next} email={email} error={error} />,
    { status },
  );
}

/** `POST /signout`: revokes the refresh family and forgets the cookies. */
export async function signOut(c: Context<PageEnv>) {
  const s = c.get("session");
  if (s.user) await s.api("POST", "/api/auth/logout");
  clearSession(c);
  return seeOther(c, "/");
}

function OrderRows(props: { orders: OrderReply[] }) {
  return (
    <table class="orders">
      <caption class="sr-only">Your orders</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Placed</th>
          <th scope="col">Status</th>
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {props.orders.map((o) => (
          <tr>
            <td>
              <a href={`/account/orders/${o.id}`}>{o.id.slice(0, 8)}</a>
            </td>
            <td>{new Date(o.created_at).toISOString().slice(0, 16).replace("T", " ")}</td>
            <td data-status={o.status}>{o.status}</td>
            <td>{formatMoney(o.totals.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `GET /account`: the order history. */
export async function accountPage(c: Context<PageEnv>) {
  const s = c.get("session");
  if (!s.user) return seeOther(c, "/signin?next=/account");
  const r = await s.api<{ items: OrderReply[] }>("GET", "/api/orders?page_size=50");
  const orders = r.ok ? r.body.items : [];
  return renderPage(
    c,
    { title: "Your account", description: "Your orders.", noindex: true },
    <>
      <h1>Your account</h1>
      <p>Signed in as {s.user.email}.</p>
      <h2>Orders</h2>
      {orders.length ? <OrderRows orders={orders} /> : <p>No orders yet.</p>}
    </>,
  );
}

const UUID = /^[0-9a-f-]{36}$/;

/** `GET /account/orders/:id`: one order, with a cancel button while it can be cancelled. */
export async function orderPage(c: Context<PageEnv>) {
  const s = c.get("session");
  const id = c.req.param("id") ?? "";
  if (!s.user) return seeOther(c, `/signin?next=/account/orders/${UUID.test(id) ? id : ""}`);
  const r = UUID.test(id) ? await s.api<OrderReply>("GET", `/api/orders/${id}`) : null;
  if (!r?.ok) return seeOther(c, "/account");
  const o = r.body;
  const flash = c.req.query("placed")
    ? "Thank you! Your order was placed."
    : c.req.query("cancelled")
      ? "The order was cancelled."
      : c.req.query("error")
        ? "This order can no longer be cancelled."
        : null;
  return renderPage(
    c,
    { title: `Order ${o.id.slice(0, 8)}`, description: "Your order.", noindex: true },
    <>
      <h1>Order {o.id.slice(0, 8)}</h1>
      <p>
        Status: <strong data-order-status="">{o.status}</strong>
      </p>
      <ul>
        {o.items.map((i) => (
          <li>
            {i.quantity} × {i.title} · {formatMoney(i.line_total)}
          </li>
        ))}
      </ul>
      <p>Total: {formatMoney(o.totals.total)}</p>
      {(o.status === "pending" || o.status === "paid") && (
        <form action={`/account/orders/${o.id}/cancel`} method="post">
          <button type="submit">Cancel this order</button>
        </form>
      )}
      <p>
        <a href="/account">All orders</a>
      </p>
    </>,
    { flash },
  );
}

/** `POST /account/orders/:id/cancel`. */
export async function cancelOrder(c: Context<PageEnv>) {
  const s = c.get("session");
  const id = c.req.param("id") ?? "";
  if (!s.user || !UUID.test(id)) return seeOther(c, "/account");
  const r = await s.api("POST", `/api/orders/${id}/cancel`);
  return seeOther(c, `/account/orders/${id}?${r.ok ? "cancelled=1" : "error=1"}`);
}
