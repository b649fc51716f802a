import type { Context } from "hono";
import { z } from "zod";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { FormError, formStatus, problemText } from "./forms.tsx";
import { ConsoleNav } from "./nav.tsx";

/** A category as `GET /api/admin/categories` lists it. */
interface AdminCategory {
  id: number;
  slug: string;
  name: string;
  parent_id: number | null;
  position: number;
  product_count: number;
}

type Values = Partial<Record<"slug" | "name" | "parent_id" | "position", string>>;

const categoryForm = z.object({
  slug: z.string().trim().min(1).max(120),
  name: z.string().trim().min(1).max(200),
  parent_id: z
    .string()
    .regex(/^\d{0,15}$/)
    .transform((s) => (s ? Number(s) : null)),
  position: z.coerce.number().int().min(-1_000_000).max(1_000_000).default(0),
});

const FLASH: Record<string, string> = { created: "Category created.", saved: "Category saved." };

function CategoryFields(props: { prefix: string; v: Values; all: AdminCategory[]; self?: number }) {
  const { prefix, v } = props;
  return (
    <>
      <p>
        <label for={`${prefix}-name`}>Name</label>
        <input id={`${prefix}-name`} name="name" value={v.name ?? ""} required maxlength={200} />
      </p>
      <p>
        <label for={`${prefix}-slug`}>Slug</label>
        <input id={`${prefix}-slug`} name="slug" value={v.slug ?? ""} required pattern="[a-z0-9\-]+" />
      </p>
      <p>
        <label for={`${prefix}-parent`}>Parent</label>
        <select id={`${prefix}-parent`} name="parent_id">
          <option value="">(top level)</option>
          {props.all
            .filter((c) => c.id !== props.self)
            .map((c) => (
              <option value={String(c.id)} selected={String(c.id) === v.parent_id}>
                {c.name}
              </option>
            ))}
        </select>
      </p>
      <p>
        <label for={`${prefix}-position`}>Position</label>
        <input id={`${prefix}-position`} name="position" type="number" value={v.position ?? "0"} />
      </p>
    </>
  );
}

async function categoriesView(
  c: Context<PageEnv>,
  form: { v: Values; error: string | null; status: 200 | 400 | 404 | 409 | 422 },
) {
  const r = await c.get("session").api<AdminCategory[]>("GET", "/api/admin/categories");
  const all = r.ok ? r.body : [];
  const nameOf = new Map(all.map((cat) => [cat.id, cat.name]));
  return renderPage(
    c,
    { title: "Console · Categories", description: "Categories.", noindex: true },
    <>
      <ConsoleNav current="categories" />
      <h1>Categories</h1>
      <table data-categories="">
        <caption class="sr-only">Categories</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Slug</th>
            <th scope="col">Parent</th>
            <th scope="col">Position</th>
            <th scope="col">Products</th>
          </tr>
        </thead>
        <tbody>
          {all.map((cat) => (
            <tr>
              <td>
                <a href={`/admin/categories/${cat.id}`}>{cat.name}</a>
              </td>
              <td>{cat.slug}</td>
              <td>{cat.parent_id === null ? "" : (nameOf.get(cat.parent_id) ?? cat.parent_id)}</td>
              <td>{cat.position}</td>
              <td>{cat.product_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>New category</h2>
      <FormError error={form.error} />
      <form action="/admin/categories" method="post" class="console-form">
        <CategoryFields prefix="nc" v={form.v} all={all} />
        <button type="submit">Create category</button>
      </form>
    </>,
    { flash: form.error ? null : (FLASH[c.req.query("done") ?? ""] ?? null), status: form.status },
  );
}

async function categoryEditView(
  c: Context<PageEnv>,
  id: number,
  form: { v: Values | null; error: string | null; status: 200 | 400 | 404 | 409 | 422 },
) {
  const api = c.get("session").api;
  const [one, list] = await Promise.all([
    api<AdminCategory>("GET", `/api/admin/categories/${id}`),
    api<AdminCategory[]>("GET", "/api/admin/categories"),
  ]);
  if (!one.ok) return seeOther(c, "/admin/categories");
  const cat = one.body;
  const v: Values = form.v ?? {
    name: cat.name,
    slug: cat.slug,
    parent_id: cat.parent_id === null ? "" : String(cat.parent_id),
    position: String(cat.position),
  };
  return renderPage(
    c,
    { title: `Console · ${cat.name}`, description: "Edit category.", noindex: true },
    <>
      <ConsoleNav current="categories" />
      <h1>Category: {cat.name}</h1>
      <p>
        {cat.product_count} products · <a href={`/c/${cat.slug}`}>View in the shop</a>
      </p>
      <FormError error={form.error} />
      <form action={`/admin/categories/${cat.id}`} method="post" class="console-form">
        <CategoryFields prefix="ec" v={v} all={list.ok ? list.body : []} self={cat.id} />
        <button type="submit">Save category</button>
      </form>
    </>,
    { flash: form.error ? null : (FLASH[c.req.query("done") ?? ""] ?? null), status: form.status },
  );
}

/** `GET /admin/categories`: the flat list with counts and the create form. */
export function categoriesPage(c: Context<PageEnv>) {
  return categoriesView(c, { v: {}, error: null, status: 200 });
}

/** `POST /admin/categories`. */
export async function createCategory(c: Context<PageEnv>) {
  const raw = (await c.req.parseBody()) as Values;
  const f = categoryForm.safeParse(raw);
  if (!f.success)
    return categoriesView(c, { v: raw, error: "Please fill in a name and a slug.", status: 422 });
  const r = await c.get("session").api("POST", "/api/admin/categories", { json: f.data });
  if (!r.ok) return categoriesView(c, { v: raw, error: problemText(r), status: formStatus(r) });
  return seeOther(c, "/admin/categories?done=created");
}

/** `GET /admin/categories/:id`. */
export function categoryEditPage(c: Context<PageEnv>) {
  const id = Number(c.req.param("id"));
  if (!Number.isInteger(id) || id < 1) return seeOther(c, "/admin/categories");
  return categoryEditView(c, id, { v: null, error: null, status: 200 });
}

/** `POST /admin/categories/:id`: rename, move (no cycles: the API refuses with 409), reorder. */
export async function updateCategory(c: Context<PageEnv>) {
  const id = Number(c.req.param("id"));
  if (!Number.isInteger(id) || id < 1) return seeOther(c, "/admin/categories");
  const raw = (await c.req.parseBody()) as Values;
  const f = categoryForm.safeParse(raw);
  if (!f.success)
    return categoryEditView(c, id, { v: raw, error: "Please fill in a name and a slug.", status: 422 });
  const r = await c.get("session").api("PATCH", `/api/admin/categories/${id}`, { json: f.data });
  if (!r.ok) return categoryEditView(c, id, { v: raw, error: problemText(r), status: formStatus(r) });
  return seeOther(c, `/admin/categories/${id}?done=saved`);
}
