import type { Context } from "hono";
import { z } from "zod";
import { renderPage, seeOther } from "../storefront/render.tsx";
import type { PageEnv } from "../storefront/session.ts";
import { ConsoleNav } from "./nav.tsx";

interface Article {
  slug: string;
  title: string;
  body: string;
  updated_at: string;
}

/** `GET /admin/help`: the help articles the support assistant answers from, each editable. */
export async function helpPage(c: Context<PageEnv>) {
  const r = await c.get("session").api<{ items: Article[] }>("GET", "/api/admin/help-articles");
  const articles = r.ok ? r.body.items : [];
  const done = c.req.query("done");
  const flash = done === "ok" ? "Article saved." : done === "error" ? "The article was not saved." : null;
  return renderPage(
    c,
    { title: "Console · Help articles", description: "Help articles.", noindex: true },
    <>
      <ConsoleNav current="help" />
      <h1>Help articles</h1>
      <p>
        The support assistant quotes these texts (one paragraph per answer); blank lines separate paragraphs.
      </p>
      {[...articles, { slug: "", title: "", body: "", updated_at: "" }].map((a) => (
        <form action={`/admin/help/${a.slug || "new"}`} method="post" data-article={a.slug || "new"}>
          <h2>{a.title || "New article"}</h2>
          {!a.slug && (
            <>
              <label for="new-slug">Slug</label>{" "}
              <input id="new-slug" name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" />
            </>
          )}
          <label for={`title-${a.slug}`}>Title</label>{" "}
          <input id={`title-${a.slug}`} name="title" value={a.title} required maxlength={200} />
          <label for={`body-${a.slug}`}>Text</label>
          <textarea id={`body-${a.slug}`} name="body" rows={8} required>
            {a.body}
          </textarea>
          <button type="submit">Save</button>
          {a.updated_at && <small> Last changed {a.updated_at.slice(0, 16).replace("T", " ")}</small>}
        </form>
      ))}
    </>,
    { flash },
  );
}

const articleForm = z.object({
  slug: z.string().optional(),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20_000),
});

/** `POST /admin/help/:slug` (`new` takes the slug from the form). */
export async function saveHelpArticle(c: Context<PageEnv>) {
  const f = articleForm.safeParse(await c.req.parseBody());
  const slug = c.req.param("slug") === "new" ? f.data?.slug : c.req.param("slug");
  if (!f.success || !slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug))
    return seeOther(c, "/admin/help?done=error");
  const r = await c.get("session").api("PUT", `/api/admin/help-articles/${slug}`, {
    json: { title: f.data.title, body: f.data.body.replace(/\r\n/g, "\n") },
  });
  return seeOther(c, `/admin/help?done=${r.ok ? "ok" : "error"}`);
}
