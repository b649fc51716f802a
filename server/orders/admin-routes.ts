import { Hono } from "hono";
import { z } from "zod";
import { demandPrimary } from "../../db/context.ts";
import { conflict, notFound } from "../../platform/problem.ts";
import { jsonBody, queryParams } from "../../platform/validate.ts";
import { type AuthEnv, currentUser, mountStaffRoutes } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { isUuid } from "../core/ids.ts";
import { pageOf } from "../core/paging.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { listQuery } from "./params.ts";
import { ORDER_STATUSES } from "./state.ts";
import { findOrder, listOrders } from "./store.ts";
import { afterTransition, applyTransition } from "./transition.ts";
import { orderViews } from "./view.ts";

const transitionBody = z.object({ to: z.enum(ORDER_STATUSES) });

/** Staff order routes: every order, filter by status, and state-machine transitions. */
function adminOrderRoutes(deps: AppDeps, providers: ProviderRegistry): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const missing = (id: string) => notFound(`Order ${id} was not found.`);

  app.get("/", async (c) => {
    const q = queryParams(c, listQuery);
    const body = await deps.db.read(async (sql) => {
      const { rows, total } = await listOrders(sql, {
        status: q.status,
        page: q.page,
        pageSize: q.page_size,
      });
      return pageOf(await orderViews(sql, rows, true), q, total);
    });
    return c.json(body);
  });

  app.get("/:id", async (c) => {
    const id = c.req.param("id");
    if (!isUuid(id)) throw missing(id);
    const view = await deps.db.read(
      async (sql) => {
        const order = await findOrder(sql, id);
        if (!order) throw missing(id);
        return (await orderViews(sql, [order], true))[0]!;
      },
      { primary: true },
    );
    return c.json(view);
  });

  app.post("/:id/transition", async (c) => {
    demandPrimary();
    const actor = currentUser(c);
    const id = c.req.param("id");
    if (!isUuid(id)) throw missing(id);
    const { to } = await jsonBody(c, transitionBody);
    const { effects, view } = await deps.db.tx(async (tx) => {
      const order = await findOrder(tx, id, true);
      if (!order) throw missing(id);
      // A held order is settled by a fraud-review decision, which also writes the review events.
      if (order.status === "review")
        throw conflict(
          "The order waits for fraud review; decide it with POST /api/admin/fraud/reviews/{id}.",
          "in-fraud-review",
        );
      const effects = await applyTransition(tx, order, to, actor.id, `set by ${actor.role}`);
      return { effects, view: (await orderViews(tx, [effects.order], true))[0]! };
    });
    await afterTransition(deps, providers, effects);
    return c.json(view);
  });

  return app;
}

/** The admin orders route module, refunding through `providers`. */
export function adminOrdersModule(providers: ProviderRegistry): RouteModule {
  return (app, deps) => {
    mountStaffRoutes(app, deps, [["/api/admin/orders", adminOrderRoutes(deps, providers)]]);
  };
}
