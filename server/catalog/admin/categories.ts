import { Hono } from "hono";
import { notFound } from "../../../platform/problem.ts";
import { jsonBody } from "../../../platform/validate.ts";
import type { AuthEnv } from "../../core/auth.ts";
import type { AppDeps } from "../../core/deps.ts";
import { serialId } from "../../core/ids.ts";
import { invalidateCategories } from "../invalidate.ts";
import { createCategory, deleteCategory, listCategories, updateCategory } from "./category-writes.ts";
import { createCategoryBody, updateCategoryBody } from "./schemas.ts";

function categoryId(raw: string | undefined): number {
  const id = serialId(raw);
  if (id === null) throw notFound("No such category.");
  return id;
}

/**
 * `/api/admin/categories[/:id]`. Category writes have no event type in the
 * API, so the only invalidation is the raise after commit (entries also
 * expire); see the report on adding a `category.changed` event.
 */
export function adminCategoryRoutes(deps: AppDeps): Hono<AuthEnv> {
  const r = new Hono<AuthEnv>();
  const one = async (id: number) => {
    const [cat] = await deps.db.read((sql) => listCategories(sql, id), { primary: true });
    if (!cat) throw notFound(`No category with id ${id}.`);
    return cat;
  };

  r.get("/", async (c) => c.json(await deps.db.read((sql) => listCategories(sql), { primary: true })));

  r.get("/:id", async (c) => c.json(await one(categoryId(c.req.param("id")))));

  r.post("/", async (c) => {
    const input = await jsonBody(c, createCategoryBody);
    const id = await deps.db.tx((tx) => createCategory(tx, input));
    await invalidateCategories(deps);
    return c.json(await one(id), 201);
  });

  r.patch("/:id", async (c) => {
    const id = categoryId(c.req.param("id"));
    const input = await jsonBody(c, updateCategoryBody);
    await deps.db.tx((tx) => updateCategory(tx, id, input));
    await invalidateCategories(deps);
    return c.json(await one(id));
  });

  r.delete("/:id", async (c) => {
    const id = categoryId(c.req.param("id"));
    await deps.db.tx((tx) => deleteCategory(tx, id));
    await invalidateCategories(deps);
    return c.body(null, 204);
  });

  return r;
}
