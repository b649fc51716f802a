import type { Context } from "hono";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";

interface DeadLetter {
  id: string | number;
  consumer: string;
  event: { type?: string } | null;
  error: string;
  attempts: number;
  created_at: string;
}

const FLASH: Record<string, string> = {
  replayed: "Dead letter queued again.",
  reindexed: "Search index rebuilt.",
  error: "That action was refused.",
};

/** `GET /admin/events`: dead letters with replay, search reindex (webhooks have their own page). */
export async function eventsPage(c: Context<PageEnv>) {
  const api = c.get("session").api;
  const dead = await api<{ items: DeadLetter[]; total: number }>(
    "GET",
    "/api/admin/dead-letters?page_size=50",
  );
  return renderPage(
    c,
    { title: "Console · Events", description: "Webhooks and dead letters.", noindex: true },
    <>
      <ConsoleNav current="events" />
      <h1>Events</h1>
      <p>
        Webhook endpoints and their deliveries: <a href="/admin/webhooks">Webhooks</a>.
      </p>
      <h2>Dead letters</h2>
      {dead.ok && dead.body.items.length ? (
        <table>
          <caption class="sr-only">Dead letters</caption>
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              <th scope="col">Event</th>
              <th scope="col">Error</th>
              <th scope="col">Attempts</th>
              <th scope="col">Replay</th>
            </tr>
          </thead>
          <tbody>
            {dead.body.items.map((d) => (
              <tr>
                <td>{d.consumer}</td>
                <td>{d.event?.type ?? ""}</td>
                <td>{d.error}</td>
                <td>{d.attempts}</td>
                <td>
                  <form action={`/admin/events/dead-letters/${d.id}/replay`} method="post">
                    <button type="submit">Replay</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No dead letters waiting.</p>
      )}
      <h2>Search</h2>
      <form action="/admin/events/reindex" method="post">
        <button type="submit">Rebuild the search index</button>
      </form>
    </>,
    { flash: FLASH[c.req.query("done") ?? ""] ?? null },
  );
}

/** `POST /admin/events/dead-letters/:id/replay`. */
export async function replayDeadLetter(c: Context<PageEnv>) {
  const id = c.req.param("id") ?? "";
  if (!/^[\w-]{1,64}$/.test(id)) return seeOther(c, "/admin/events?done=error");
  const r = await c.get("session").api("POST", `/api/admin/dead-letters/${id}/replay`);
  return seeOther(c, `/admin/events?done=${r.ok ? "replayed" : "error"}`);
}

/** `POST /admin/events/reindex`. */
export async function reindexSearch(c: Context<PageEnv>) {
  const r = await c.get("session").api("POST", "/api/admin/search/reindex");
  return seeOther(c, `/admin/events?done=${r.ok ? "reindexed" : "error"}`);
}
