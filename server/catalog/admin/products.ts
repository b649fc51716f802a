import { Hono } from "hono";
import { notFound } from "../../../platform/problem.ts";
import { jsonBody, queryParams } from "../../../platform/validate.ts";
import type { AuthEnv } from "../../core/auth.ts";
import { currentUser } from "../../core/auth.ts";
import type { AppDeps } from "../../core/deps.ts";
import { serialId } from "../../core/ids.ts";
import { invalidateProducts } from "../invalidate.ts";
import { presentAdmin } from "../present.ts";
import { loadProductById } from "../queries.ts";
import { listAdminProducts } from "./product-queries.ts";
import { archiveProduct, createProduct, type ProductWrite, updateProduct } from "./product-writes.ts";
import { adminListQuery, createProductBody, updateProductBody } from "./schemas.ts";

function productId(raw: string | undefined): number {
  const id = serialId(raw);
  if (id === null) throw notFound("No such product.");
  return id;
}

/**
 * `/api/admin/products[/:id]` (the caller's role is checked by the module).
 * Admin reads use the primary: staff expect to see their own edits at once.
 */
export function adminProductRoutes(deps: AppDeps): Hono<AuthEnv> {
  const r = new Hono<AuthEnv>();

  async function respond(write: ProductWrite, status: 200 | 201) {
    // Raise the cache generations after the commit and before answering.
    await invalidateProducts(deps, write.slugs);
    const row = await deps.db.read((sql) => loadProductById(sql, write.id), { primary: true });
    if (!row) throw notFound(`No product with id ${write.id}.`);
    return { body: presentAdmin(row), status };
  }

  r.get("/", async (c) => {
    const q = queryParams(c, adminListQuery);
    const params = {
      status: q.status ?? "all",
      category: q.category,
      brand: q.brand,
      page: q.page,
      page_size: q.page_size,
    } as const;
    const page = await deps.db.read((sql) => listAdminProducts(sql, params), { primary: true });
    return c.json({ items: page.items, page: params.page, page_size: params.page_size, total: page.total });
  });

  r.post("/", async (c) => {
    const input = await jsonBody(c, createProductBody);
    const actor = currentUser(c).id;
    const { body, status } = await respond(await deps.db.tx((tx) => createProduct(tx, input, actor)), 201);
    return c.json(body, status);
  });

  r.get("/:id", async (c) => {
    const id = productId(c.req.param("id"));
    const row = await deps.db.read((sql) => loadProductById(sql, id), { primary: true });
    if (!row) throw notFound(`No product with id ${id}.`);
    return c.json(presentAdmin(row));
  });

  r.patch("/:id", async (c) => {
    const id = productId(c.req.param("id"));
    const input = await jsonBody(c, updateProductBody);
    const actor = currentUser(c).id;
    const { body, status } = await respond(
      await deps.db.tx((tx) => updateProduct(tx, id, input, actor)),
      200,
    );
    return c.json(body, status);
  });

  r.delete("/:id", async (c) => {
    const id = productId(c.req.param("id"));
    const { body, status } = await respond(await deps.db.tx((tx) => archiveProduct(tx, id)), 200);
    return c.json(body, status);
  });

  return r;
}
