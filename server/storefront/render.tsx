import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { cacheRuntime } from "../cache/index.ts";
import type { AppDeps } from "../core/deps.ts";
import { Layout, type PageMeta } from "./layout.tsx";
import type { PageEnv } from "./session.ts";

/** The origin the shopper used (the proxy passes the Host through). */
export function originOf(c: Context): string {
  const proto = c.req.header("x-forwarded-proto") ?? new URL(c.req.url).protocol.replace(":", "");
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host") ?? new URL(c.req.url).host;
  return `${proto}://${host}`;
}

/** Renders a whole page for the current session. */
export function renderPage(
  c: Context<PageEnv>,
  meta: Omit<PageMeta, "origin">,
  body: Child,
  opts: { status?: 200 | 400 | 402 | 404 | 409 | 422; flash?: string | null } = {},
) {
  const html = `<!doctype html>${(
    (
      <Layout meta={{ ...meta, origin: originOf(c) }} user={c.get("session").user} flash={opts.flash ?? null}>
        {body}
      </Layout>
    )
  ).toString()}`;
  return c.html(html, opts.status ?? 200, { "cache-control": "private, no-cache" });
}

/** Thrown by a page loader for "no such thing": becomes a 404 page. */
export class PageNotFound extends Error {}

/**
 * Anonymous catalog pages are cached whole, through the same generational
 * cache as the catalog JSON: the entry hangs on the generations the page was
 * built from, so a price change raises a generation and the next load
 * renders anew. Signed-in shoppers (their name and links in the header) are
 * rendered each time.
 */
export async function cachedPage(
  c: Context<PageEnv>,
  deps: AppDeps,
  spec: { key: string; generations: string[] },
  build: () => Promise<{ meta: Omit<PageMeta, "origin">; body: Child }>,
) {
  if (c.get("session").user) {
    const { meta, body } = await build();
    return renderPage(c, meta, body);
  }
  const origin = originOf(c);
  let missing = false;
  const html = await cacheRuntime(deps).aside.fetch(
    { cache: "page", key: `page:${origin}${spec.key}`, generations: spec.generations },
    async () => {
      try {
        const { meta, body } = await build();
        return `<!doctype html>${(
          (
            <Layout meta={{ ...meta, origin }} user={null}>
              {body}
            </Layout>
          )
        ).toString()}`;
      } catch (e) {
        if (!(e instanceof PageNotFound)) throw e;
        missing = true;
        return "";
      }
    },
  );
  if (missing || html === "") return notFoundPage(c);
  return c.html(html, 200, { "cache-control": "public, max-age=0, must-revalidate" });
}

/** The 404 page. */
export function notFoundPage(c: Context<PageEnv>) {
  return renderPage(
    c,
    { title: "Not found", description: "This page does not exist.", noindex: true },
    <>
      <h1>Not found</h1>
      <p>
        We could not find that page. <a href="/">Back to the shop</a>.
      </p>
    </>,
    { status: 404 },
  );
}

/**
 * 303 See Other (POST-redirect-GET). The body is not empty on purpose: through
 * our proxy, a keep-alive connection stalled on the request after an upstream
 * 303 with `Content-Length: 0` (reported to the proxy's owner).
 */
export function seeOther(c: Context, location: string) {
  return c.body(`See ${location}`, 303, { location, "content-type": "text/plain; charset=utf-8" });
}
