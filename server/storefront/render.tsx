import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { cacheRuntime } from "../cache/index.ts";
import type { AppDeps } from "../core/deps.ts";
import { acceptsGzip, GzipMemo } from "./gzip-memo.ts";
import { Layout, type PageMeta } from "./layout.tsx";
import type { PageEnv } from "./session.ts";

/** A host name or IPv4/[IPv6] literal with an optional port: nothing that could break out of an attribute. */
const HOST = /^(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}(?::\d{1,5})?$|^\[[0-9a-f:.]{2,45}\](?::\d{1,5})?$/i;

/**
 * The origin the shopper used (the proxy passes the Host through as
 * X-Forwarded-Host). Only a well-formed host is believed; anything else
 * becomes `localhost`, so a hostile Host header cannot inject markup.
 */
export function originOf(c: Context): string {
  const proto =
    c.req.header("x-forwarded-proto") === "https"
      ? "https"
      : new URL(c.req.url).protocol === "https:"
        ? "https"
        : "http";
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host") ?? new URL(c.req.url).host;
  return `${proto}://${HOST.test(host) ? host.toLowerCase() : "localhost"}`;
}

/**
 * Cached pages are shared by every Host: they are built with this stand-in
 * origin (a reserved `.invalid` name no real link uses) and each answer puts
 * the request's own origin in its place. So the Host header is not part of
 * the cache key (a client sending a new Host per request cannot fill the
 * cache), and no client can plant its Host in what others are served.
 */
export const ORIGIN_MARK = "http://origin.cached-page.invalid";

/** A cached document with the request's origin put back in. */
export function withOrigin(cached: string, origin: string): string {
  return cached.includes(ORIGIN_MARK) ? cached.split(ORIGIN_MARK).join(origin) : cached;
}

/** Statuses a page answers with: a refused form is shown again with its 4xx, never 200. */
export type PageStatus = 200 | 400 | 401 | 402 | 404 | 409 | 422 | 429 | 503;

/** Renders a whole page for the current session (none outside the page routes: the app's 404). */
export function renderPage(
  c: Context<PageEnv> | Context,
  meta: Omit<PageMeta, "origin">,
  body: Child,
  opts: { status?: PageStatus; flash?: string | null } = {},
) {
  const html = `<!doctype html>${(
    (
      <Layout
        meta={{ ...meta, origin: originOf(c) }}
        user={(c as Context<PageEnv>).get("session")?.user ?? null}
        flash={opts.flash ?? null}
      >
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
 * rendered each time. `build` gets the origin to write absolute URLs with
 * (a stand-in for cached pages; see ORIGIN_MARK); the key must not hold the host.
 */
export async function cachedPage(
  c: Context<PageEnv>,
  deps: AppDeps,
  spec: { key: string; generations: string[] },
  build: (origin: string) => Promise<{ meta: Omit<PageMeta, "origin">; body: Child }>,
) {
  if (c.get("session").user) {
    const { meta, body } = await build(originOf(c));
    return renderPage(c, meta, body);
  }
  let missing = false;
  const html = await cacheRuntime(deps).aside.fetch(
    { cache: "page", key: `page:${spec.key}`, generations: spec.generations },
    async () => {
      try {
        const { meta, body } = await build(ORIGIN_MARK);
        return `<!doctype html>${(
          (
            <Layout meta={{ ...meta, origin: ORIGIN_MARK }} user={null}>
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
  const doc = withOrigin(html, originOf(c));
  const headers = {
    "cache-control": "public, max-age=0, must-revalidate",
    vary: "Accept-Encoding",
    "content-type": "text/html; charset=UTF-8",
  };
  // Sent already compressed (the proxy passes an encoded body through): see GzipMemo.
  if (!acceptsGzip(c.req.header("accept-encoding"))) return c.body(doc, 200, headers);
  return c.body(gzipped.get(doc), 200, { ...headers, "content-encoding": "gzip" });
}

const gzipped = new GzipMemo();

/** The 404 page (also what a browser gets for a path no route knows). */
export function notFoundPage(c: Context<PageEnv> | Context) {
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
