import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams } from "../../platform/validate.ts";
import type { AuthEnv } from "../core/auth.ts";
import { authenticate, requireRole } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { assertWebhookUrl } from "./webhook-url.ts";

const eventTypes = [
  "product.created",
  "product.updated",
  "product.archived",
  "inventory.changed",
  "order.placed",
  "order.paid",
  "order.cancelled",
  "order.status_changed",
  "user.registered",
  "user.email_changed",
  "review.created",
  "*",
] as const;

const createEndpoint = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000),
  events: z.array(z.enum(eventTypes)).min(1).max(eventTypes.length),
  secret: z.string().min(16, "must be at least 16 characters").max(200).optional(),
});
const paging = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(24),
});
const deadLetterQuery = paging.extend({ include_replayed: z.enum(["true", "false"]).default("false") });
const uuid = z.uuid();
const numericId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function parseId<T>(schema: z.ZodType<T>, raw: string, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw notFound(`No ${what} ${raw}.`);
  return parsed.data;
}

function webhookRoutes(deps: AppDeps): Hono<AuthEnv> {
  const r = new Hono<AuthEnv>();
  const sql = deps.db.primary;
  r.get("/", async (c) => {
    const rows =
      await sql`select id, url, events, active, created_at from webhook_endpoints order by created_at`;
    return c.json({ items: rows, page: 1, page_size: rows.length, total: rows.length });
  });
  r.post("/", async (c) => {
    const body = await jsonBody(c, createEndpoint);
    await assertWebhookUrl(body.url, deps.config.WEBHOOKS_ALLOW_PRIVATE);
    const secret = body.secret ?? `whsec_${randomBytes(24).toString("base64url")}`;
    const [row] = await sql`
      insert into webhook_endpoints (url, events, secret) values (${body.url}, ${body.events}, ${secret})
      returning id, url, events, active, created_at`;
    // The secret is shown here only; later reads never include it.
    return c.json({ ...row, secret }, 201);
  });
  r.delete("/:id", async (c) => {
    const id = parseId(uuid, c.req.param("id"), "webhook endpoint");
    const rows = await sql`delete from webhook_endpoints where id = ${id} returning id`;
    if (!rows.length) throw notFound(`No webhook endpoint ${id}.`);
    return c.body(null, 204);
  });
  r.get("/:id/deliveries", async (c) => {
    const id = parseId(uuid, c.req.param("id"), "webhook endpoint");
    const q = queryParams(c, paging);
    const [ep] = await sql`select 1 from webhook_endpoints where id = ${id}`;
    if (!ep) throw notFound(`No webhook endpoint ${id}.`);
    const items = await sql`
      select id, event_id, event_type, attempt, status_code, error, duration_ms, created_at
      from webhook_deliveries where endpoint_id = ${id}
      order by id desc limit ${q.page_size} offset ${(q.page - 1) * q.page_size}`;
    const [count] = await sql<
      { n: number }[]
    >`select count(*)::int as n from webhook_deliveries where endpoint_id = ${id}`;
    return c.json({ items, page: q.page, page_size: q.page_size, total: count?.n ?? 0 });
  });
  return r;
}

function deadLetterRoutes(deps: AppDeps): Hono<AuthEnv> {
  const r = new Hono<AuthEnv>();
  const sql = deps.db.primary;
  r.get("/", async (c) => {
    const q = queryParams(c, deadLetterQuery);
    const all = q.include_replayed === "true";
    const items = await sql`
      select id, consumer, event_id, event, error, attempts, created_at, replayed_at from dead_letters
      where ${all} or replayed_at is null
      order by id desc limit ${q.page_size} offset ${(q.page - 1) * q.page_size}`;
    const [count] = await sql<
      { n: number }[]
    >`select count(*)::int as n from dead_letters where ${all} or replayed_at is null`;
    return c.json({ items, page: q.page, page_size: q.page_size, total: count?.n ?? 0 });
  });
  r.post("/:id/replay", async (c) => {
    const id = parseId(numericId, c.req.param("id"), "dead letter");
    // Re-queue the original outbox row: consumers that already processed the
    // event skip it (processed_events), so only the failed one runs again.
    const result = await deps.db.tx(async (tx) => {
      const [dl] = await tx<{ event_id: string; replayed_at: Date | null }[]>`
        select event_id, replayed_at from dead_letters where id = ${id} for update`;
      if (!dl) return null;
      await tx`update dead_letters set replayed_at = now() where id = ${id}`;
      const requeued =
        await tx`update outbox set published_at = null, last_error = null where id = ${dl.event_id} returning seq`;
      return { event_id: dl.event_id, requeued: requeued.length > 0 };
    });
    if (!result) throw notFound(`No dead letter ${id}.`);
    return c.json({ id, ...result, status: "replaying" }, 202);
  });
  return r;
}

/** `/api/admin/webhooks` and `/api/admin/dead-letters`, for admins and staff. */
export const adminEventsModule: RouteModule = (app, deps) => {
  const guard = [authenticate(deps), requireRole("admin", "staff")] as const;
  for (const [path, routes] of [
    ["/api/admin/webhooks", webhookRoutes(deps)],
    ["/api/admin/dead-letters", deadLetterRoutes(deps)],
  ] as const) {
    app.use(path, ...guard);
    app.use(`${path}/*`, ...guard);
    app.route(path, routes);
  }
};
