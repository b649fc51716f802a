import { Hono } from "hono";
import { demandPrimary } from "../../db/context.ts";
import { notFound } from "../../platform/problem.ts";
import { queryParams } from "../../platform/validate.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { isUuid } from "../core/ids.ts";
import { pageOf } from "../core/paging.ts";
import { type AuthUser, isStaff } from "../core/roles.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { listQuery } from "./params.ts";
import { findOrder, listOrders, type OrderRow } from "./store.ts";
import { afterTransition, applyTransition } from "./transition.ts";
import { orderViews } from "./view.ts";

/** Another user's order is reported exactly like a missing one. */
function visible(order: OrderRow | null, user: AuthUser): order is OrderRow {
  return order !== null && (order.user_id === user.id || isStaff(user));
}

/** The caller's orders: list, detail, cancel. */
function orderRoutes(deps: AppDeps, providers: ProviderRegistry): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const missing = (id: string) => notFound(`Order ${id} was not found.`);
  app.use("/api/orders", authenticate(deps), requireAuth());
  app.use("/api/orders/*", authenticate(deps), requireAuth());

  app.get("/api/orders", async (c) => {
    const user = currentUser(c);
    const q = queryParams(c, listQuery);
    const body = await deps.db.read(async (sql) => {
      const { rows, total } = await listOrders(sql, {
        userId: user.id,
        status: q.status,
        page: q.page,
        pageSize: q.page_size,
      });
      return pageOf(await orderViews(sql, rows), q, total);
    });
    return c.json(body);
  });

  app.get("/api/orders/:id", async (c) => {
    const user = currentUser(c);
    const id = c.req.param("id");
    if (!isUuid(id)) throw missing(id);
    // Order confirmation is a critical read: right after checkout a replica may not have it yet.
    const view = await deps.db.read(
      async (sql) => {
        const order = await findOrder(sql, id);
        if (!visible(order, user)) throw missing(id);
        return (await orderViews(sql, [order], isStaff(user)))[0]!;
      },
      { primary: true },
    );
    return c.json(view);
  });

  app.post("/api/orders/:id/cancel", async (c) => {
    demandPrimary();
    const user = currentUser(c);
    const id = c.req.param("id");
    if (!isUuid(id)) throw missing(id);
    const { effects, view } = await deps.db.tx(async (tx) => {
      const order = await findOrder(tx, id, true);
      if (!visible(order, user)) throw missing(id);
      const effects = await applyTransition(tx, order, "cancelled", user.id, "cancelled by customer");
      return { effects, view: (await orderViews(tx, [effects.order], isStaff(user)))[0]! };
    });
    await afterTransition(deps, providers, effects);
    return c.json(view);
  });

  return app;
}

/** The orders route module, refunding through `providers`. */
export function ordersModule(providers: ProviderRegistry): RouteModule {
  return (app, deps) => {
    app.route("/", orderRoutes(deps, providers));
  };
}
