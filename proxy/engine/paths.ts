import { normalisePath } from "../path.ts";

/** Which request paths go to the app instances, and which only the admin port answers. */

// /metrics is not among them: the public listener never serves it (the admin port does).
const proxiedExact = new Set(["/healthz", "/readyz", "/health", "/api", "/", "/sitemap.xml", "/robots.txt"]);
// The server-rendered storefront and console (docs/API.md "Pages"): the app answers these.
const pagePrefixes = [
  "/c/",
  "/p/",
  "/search",
  "/cart",
  "/checkout",
  "/account",
  "/signin",
  "/register",
  "/signout",
  "/admin",
];
/** True for paths forwarded to the app instances; everything else is static. */
export function isProxied(path: string): boolean {
  if (path.startsWith("/api/") || proxiedExact.has(path)) return true;
  // A plain loop: this runs for every static-file request, and `some` would make a closure each time.
  for (const prefix of pagePrefixes) if (path.startsWith(prefix)) return true;
  return false;
}

/** Paths only the admin port answers (`/metrics`, in any spelling); 404 here, upstream never asked. */
export function isOperationsOnly(path: string): boolean {
  const p = normalisePath(path);
  return p === "/metrics" || p.startsWith("/metrics/");
}
