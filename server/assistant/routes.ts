import { Hono } from "hono";
import { z } from "zod";
import { demandPrimary } from "../../db/context.ts";
import { notFound } from "../../platform/problem.ts";
import { jsonBody, safeText } from "../../platform/validate.ts";
import { slugSchema } from "../catalog/schemas.ts";
import { type AuthEnv, authenticate, currentUser, mountStaffRoutes } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { answerQuestion } from "./answer.ts";
import { getArticle, listArticles, saveArticle } from "./articles.ts";
import type { LlmSettings } from "./llm.ts";

const questionBody = z.object({ question: safeText(500) });
const articleBody = z.object({ title: safeText(200), body: safeText(20_000, { multiline: true }) });

/** `POST /api/ai/assistant`: anyone may ask; a signed-in caller may ask about their orders. */
function assistantRoutes(deps: AppDeps, llm: LlmSettings | null): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post("/", authenticate(deps), async (c) => {
    const { question } = await jsonBody(c, questionBody);
    return c.json(await answerQuestion(deps, question, c.get("user")?.id ?? null, llm));
  });
  return app;
}

/** Staff: the help articles the assistant answers from. */
function articleRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get("/", async (c) =>
    c.json({ items: await deps.db.read((sql) => listArticles(sql), { primary: true }) }),
  );
  app.get("/:slug", async (c) => {
    const article = await deps.db.read((sql) => getArticle(sql, c.req.param("slug")), { primary: true });
    if (!article) throw notFound(`No help article ${c.req.param("slug")}.`);
    return c.json(article);
  });
  app.put("/:slug", async (c) => {
    demandPrimary();
    const slug = slugSchema.safeParse(c.req.param("slug"));
    if (!slug.success) throw notFound("Not an article slug.");
    const body = await jsonBody(c, articleBody);
    return c.json(await saveArticle(deps.db.primary, { slug: slug.data, ...body }, currentUser(c).id));
  });
  return app;
}

/** The support assistant's route module (question route and staff article routes). */
export function assistantModule(llm: LlmSettings | null): RouteModule {
  return (app, deps) => {
    app.route("/api/ai/assistant", assistantRoutes(deps, llm));
    mountStaffRoutes(app, deps, [["/api/admin/help-articles", articleRoutes(deps)]]);
  };
}
