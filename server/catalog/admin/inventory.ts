import { Hono } from "hono";
import { conflict, notFound, unprocessable } from "../../../platform/problem.ts";
import { jsonBody, validate } from "../../../platform/validate.ts";
import { type AuthEnv, currentUser } from "../../core/auth.ts";
import type { AppDeps } from "../../core/deps.ts";
import { listAdjustments } from "../../inventory/adjustments.ts";
import { adjustStock, InsufficientStockError, stockStatus } from "../../inventory/stock.ts";
import { getUserById } from "../../users/queries.ts";
import { invalidateProductsBySku } from "../invalidate.ts";
import { adjustBody, adjustmentsQuery, MAX_STOCK, skuSchema } from "./schemas.ts";

const tooMuch = () =>
  unprocessable(`Stock of one SKU may not exceed ${MAX_STOCK}.`, [
    { path: "delta", message: `would take the stock above ${MAX_STOCK}` },
  ]);

/**
 * `POST /api/admin/inventory/:sku/adjust`: audited, never below zero (409 with what is available).
 * `GET /api/admin/inventory/adjustments?sku=…&sku=…`: the audit list of those SKUs, newest first.
 */
export function adminInventoryRoutes(deps: AppDeps): Hono<AuthEnv> {
  const r = new Hono<AuthEnv>();

  r.get("/adjustments", async (c) => {
    const { sku, limit } = validate(
      adjustmentsQuery,
      { sku: c.req.queries("sku") ?? [], limit: c.req.query("limit") },
      "query string",
    );
    const items = await deps.db.read(async (sql) => {
      const rows = await listAdjustments(sql, sku, limit);
      // who: the actor's email, read through the users module (a handful of staff at most)
      const actors = new Map<number, string | null>();
      for (const id of new Set(rows.flatMap((a) => (a.actor_id === null ? [] : [a.actor_id])))) {
        actors.set(id, (await getUserById(sql, id))?.email ?? null);
      }
      return rows.map((a) => ({
        ...a,
        actor: a.actor_id === null ? null : { id: a.actor_id, email: actors.get(a.actor_id) ?? null },
      }));
    });
    return c.json({ items });
  });

  r.post("/:sku/adjust", async (c) => {
    const sku = skuSchema.safeParse(c.req.param("sku"));
    if (!sku.success) throw notFound("No such SKU.");
    const { delta, reason } = await jsonBody(c, adjustBody);
    const actor = currentUser(c).id;
    let quantity: number | null;
    try {
      quantity = await deps.db.tx(async (tx) => {
        const q = await adjustStock(tx, sku.data, delta, reason, actor);
        // Thrown inside the transaction, so the adjustment is rolled back.
        if (q !== null && q > MAX_STOCK && delta > 0) throw tooMuch();
        return q;
      });
    } catch (err) {
      // integer out of range: the column itself would overflow.
      if ((err as { code?: string }).code === "22003") throw tooMuch();
      if (err instanceof InsufficientStockError)
        throw conflict(
          `Adjusting ${err.sku} by ${err.delta} would take stock below zero (${err.available} available).`,
          "insufficient-stock",
          { sku: err.sku, available: err.available, delta: err.delta },
        );
      throw err;
    }
    if (quantity === null) throw notFound(`No SKU ${sku.data}.`);
    await invalidateProductsBySku(deps, [sku.data]);
    return c.json({ sku: sku.data, stock: quantity, stock_status: stockStatus(quantity) });
  });

  return r;
}
