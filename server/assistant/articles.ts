import type { Sql, TxSql } from "../../db/client.ts";

/** A help article. */
export interface HelpArticle {
  slug: string;
  title: string;
  body: string;
  updated_at: string;
}

interface Row {
  slug: string;
  title: string;
  body: string;
  updated_at: Date;
}
const toArticle = (r: Row): HelpArticle => ({ ...r, updated_at: r.updated_at.toISOString() });

/** Every help article, by title. */
export async function listArticles(sql: Sql | TxSql): Promise<HelpArticle[]> {
  const rows = await sql<Row[]>`select slug, title, body, updated_at from help_articles order by title`;
  return rows.map(toArticle);
}

/** One article, or null. */
export async function getArticle(sql: Sql | TxSql, slug: string): Promise<HelpArticle | null> {
  const [row] = await sql<
    Row[]
  >`select slug, title, body, updated_at from help_articles where slug = ${slug}`;
  return row ? toArticle(row) : null;
}

/** Creates or replaces an article, recording who edited it. */
export async function saveArticle(
  sql: Sql | TxSql,
  a: { slug: string; title: string; body: string },
  staffId: number,
): Promise<HelpArticle> {
  const [row] = await sql<Row[]>`
    insert into help_articles (slug, title, body, updated_by) values (${a.slug}, ${a.title}, ${a.body}, ${staffId})
    on conflict (slug) do update set title = excluded.title, body = excluded.body,
      updated_by = excluded.updated_by, updated_at = now()
    returning slug, title, body, updated_at`;
  return toArticle(row!);
}
