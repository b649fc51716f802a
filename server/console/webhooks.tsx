import type { Context } from "hono";
import { z } from "zod";
import { EVENT_TYPES } from "../core/outbox.ts";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { FormError, formStatus, problemText } from "./forms.tsx";
import { ConsoleNav } from "./nav.tsx";

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  created_at: string;
}
interface Delivery {
  id: number;
  event_type: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  created_at: string;
}

const SUBSCRIBABLE = ["*", ...EVENT_TYPES] as const;
const webhookForm = z.object({
  url: z.string().trim().min(1).max(2000),
  events: z.union([z.enum(SUBSCRIBABLE), z.array(z.enum(SUBSCRIBABLE)).min(1)]),
});
const FLASH: Record<string, string> = { deleted: "Webhook endpoint deleted." };

async function webhooksView(
  c: Context<PageEnv>,
  form: { url: string; error: string | null; status: 200 | 400 | 404 | 409 | 422; secret?: string },
) {
  const r = await c.get("session").api<{ items: Endpoint[] }>("GET", "/api/admin/webhooks");
  const hooks = r.ok ? r.body.items : [];
  return renderPage(
    c,
    { title: "Console · Webhooks", description: "Webhook endpoints.", noindex: true },
    <>
      <ConsoleNav current="webhooks" />
      <h1>Webhooks</h1>
      {form.secret && (
        <p class="notice" role="status" data-webhook-secret="">
          Endpoint created. Its signing secret, shown this once: <code>{form.secret}</code>
        </p>
      )}
      {hooks.length ? (
        <table data-webhooks="">
          <caption class="sr-only">Webhook endpoints</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">Deliveries</th>
            </tr>
          </thead>
          <tbody>
            {hooks.map((h) => (
              <tr>
                <td>{h.url}</td>
                <td>{h.events.join(", ")}</td>
                <td>{h.active ? "active" : "inactive"}</td>
                <td>
                  <a href={`/admin/webhooks/${h.id}`}>Deliveries to {h.url}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No webhook endpoints.</p>
      )}
      <h2>New endpoint</h2>
      <FormError error={form.error} />
      <form action="/admin/webhooks" method="post" class="console-form">
        <p>
          <label for="wh-url">URL (https://…)</label>
          <input id="wh-url" name="url" type="url" value={form.url} required maxlength={2000} />
        </p>
        <fieldset>
          <legend>Events</legend>
          {SUBSCRIBABLE.map((e) => (
            <label class="check">
              <input type="checkbox" name="events" value={e} /> {e === "*" ? "all events (*)" : e}
            </label>
          ))}
        </fieldset>
        <button type="submit">Create endpoint</button>
      </form>
    </>,
    { flash: form.error ? null : (FLASH[c.req.query("done") ?? ""] ?? null), status: form.status },
  );
}

/** `GET /admin/webhooks`: endpoints with links to their deliveries, and the create form. */
export function webhooksPage(c: Context<PageEnv>) {
  return webhooksView(c, { url: "", error: null, status: 200 });
}

/**
 * `POST /admin/webhooks`: creates an endpoint and shows its secret in the
 * answer itself (never stored in a URL or shown again).
 */
export async function createWebhook(c: Context<PageEnv>) {
  const body = await c.req.parseBody({ all: true });
  const url = typeof body.url === "string" ? body.url : "";
  const f = webhookForm.safeParse(body);
  if (!f.success)
    return webhooksView(c, { url, error: "Please give a URL and at least one event.", status: 422 });
  const events = Array.isArray(f.data.events) ? f.data.events : [f.data.events];
  const r = await c
    .get("session")
    .api<{ secret: string }>("POST", "/api/admin/webhooks", { json: { url: f.data.url, events } });
  if (!r.ok) return webhooksView(c, { url, error: problemText(r), status: formStatus(r) });
  c.header("cache-control", "no-store");
  return webhooksView(c, { url: "", error: null, status: 200, secret: r.body.secret });
}

/** `GET /admin/webhooks/:id`: the endpoint's delivery attempts, newest first. */
export async function deliveriesPage(c: Context<PageEnv>) {
  const id = z.uuid().safeParse(c.req.param("id"));
  if (!id.success) return seeOther(c, "/admin/webhooks");
  const api = c.get("session").api;
  const [list, deliveries] = await Promise.all([
    api<{ items: Endpoint[] }>("GET", "/api/admin/webhooks"),
    api<{ items: Delivery[]; total: number }>(
      "GET",
      `/api/admin/webhooks/${id.data}/deliveries?page_size=50`,
    ),
  ]);
  const hook = list.ok ? list.body.items.find((h) => h.id === id.data) : undefined;
  if (!hook || !deliveries.ok) return seeOther(c, "/admin/webhooks");
  return renderPage(
    c,
    { title: "Console · Deliveries", description: "Webhook deliveries.", noindex: true },
    <>
      <ConsoleNav current="webhooks" />
      <h1>Deliveries to {hook.url}</h1>
      <p>
        {deliveries.body.total} attempts · events: {hook.events.join(", ")}
      </p>
      <table data-deliveries="">
        <caption class="sr-only">Delivery attempts, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Attempt</th>
            <th scope="col">Status</th>
            <th scope="col">Time</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.body.items.map((d) => (
            <tr>
              <td>{String(d.created_at).slice(0, 19).replace("T", " ")}</td>
              <td>{d.event_type}</td>
              <td>{d.attempt}</td>
              <td data-status-code={String(d.status_code ?? "")}>{d.status_code ?? "none"}</td>
              <td>{d.duration_ms === null ? "" : `${d.duration_ms} ms`}</td>
              <td>{d.error ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form action={`/admin/webhooks/${hook.id}/delete`} method="post">
        <button type="submit">Delete this endpoint</button>
      </form>
    </>,
  );
}

/** `POST /admin/webhooks/:id/delete`. */
export async function deleteWebhook(c: Context<PageEnv>) {
  const id = z.uuid().safeParse(c.req.param("id"));
  if (!id.success) return seeOther(c, "/admin/webhooks");
  const r = await c.get("session").api("DELETE", `/api/admin/webhooks/${id.data}`);
  if (!r.ok) return webhooksView(c, { url: "", error: problemText(r), status: formStatus(r) });
  return seeOther(c, "/admin/webhooks?done=deleted");
}
