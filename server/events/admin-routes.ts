import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams } from "../../platform/validate.ts";
import { type AuthEnv, mountStaffRoutes } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { isUuid, serialId } from "../core/ids.ts";
import { EVENT_TYPES } from "../core/outbox.ts";
import { pageOf, pageQuery } from "../core/paging.ts";
import {
  createEndpoint,
  deleteEndpoint,
  listDeadLetters,
  listDeliveries,
  listEndpoints,
  replayDeadLetter,
} from "./store.ts";
import { assertWebhookUrl } from "./webhook-url.ts";

/** What a webhook may subscribe to: the outbox's event types, or `*` for all of them. */
const subscribable = [...EVENT_TYPES, "*"] as const;

const createEndpointBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000),
  events: z.array(z.enum(subscribable)).min(1).max(subscribable.length),
  secret: z.string().min(16, "must be at least 16 characters").max(200).optional(),
});
const deadLetterQuery = pageQuery.extend({ include_replayed: z.enum(["true", "false"]).default("false") });

function endpointId(raw: string): string {
  if (!isUuid(raw)) throw notFound(`No webhook endpoint ${raw}.`);
  return raw;
}

function deadLetterId(raw: string): number {
  const id = serialId(raw);
  if (id === null) throw notFound(`No dead letter ${raw}.`);
  return id;
}

function webhookRoutes(deps: AppDeps): Hono<AuthEnv> {
  const r = new Hono<AuthEnv>();
  const sql = deps.db.primary;
  r.get("/", async (c) => {
    const rows = await listEndpoints(sql);
    return c.json(pageOf(rows, { page: 1, page_size: rows.length }, rows.length));
  });
  r.post("/", async (c) => {
    // The secret is shown here only; later reads never include it.
    const body = await jsonBody(c, createEndpointBody);
    await assertWebhookUrl(body.url, deps.config.WEBHOOKS_ALLOW_PRIVATE);
    return c.json(await createEndpoint(sql, body), 201);
  });
  r.delete("/:id", async (c) => {
    const id = endpointId(c.req.param("id"));
    if (!(await deleteEndpoint(sql, id))) throw notFound(`No webhook endpoint ${id}.`);
    return c.body(null, 204);
  });
  r.get("/:id/deliveries", async (c) => {
    const id = endpointId(c.req.param("id"));
    const q = queryParams(c, pageQuery);
    const found = await listDeliveries(sql, id, q);
    if (!found) throw notFound(`No webhook endpoint ${id}.`);
    return c.json(pageOf(found.items, q, found.total));
  });
  return r;
}

function deadLetterRoutes(deps: AppDeps): Hono<AuthEnv> {
  const r = new Hono<AuthEnv>();
  r.get("/", async (c) => {
    const q = queryParams(c, deadLetterQuery);
    const found = await listDeadLetters(deps.db.primary, q, q.include_replayed === "true");
    return c.json(pageOf(found.items, q, found.total));
  });
  r.post("/:id/replay", async (c) => {
    const id = deadLetterId(c.req.param("id"));
    const result = await replayDeadLetter(deps.db, id);
    if (!result) throw notFound(`No dead letter ${id}.`);
    return c.json({ id, ...result, status: "replaying" }, 202);
  });
  return r;
}

/** `/api/admin/webhooks` and `/api/admin/dead-letters`, for admins and staff. */
export const adminEventsModule: RouteModule = (app, deps) =>
  mountStaffRoutes(app, deps, [
    ["/api/admin/webhooks", webhookRoutes(deps)],
    ["/api/admin/dead-letters", deadLetterRoutes(deps)],
  ]);
