import type { Context } from "hono";

/**
 * Whether a request came through the public proxy. The proxy adds
 * `X-Forwarded-For` and `X-Real-IP` to every request it forwards (see
 * proxy/engine.ts), and so do other reverse proxies (`Forwarded`), while
 * Prometheus, the compose health checks and operators reach an instance's
 * own port directly. Requests that came through a proxy get the public view
 * of the operations routes: `/health` status only, no `/metrics`.
 *
 * This fails safe: a direct client that adds one of these headers only gets
 * less. The instance ports themselves must stay private (APP_HOST is
 * loopback by default; containers publish only the proxy).
 */
export function cameThroughProxy(c: Context): boolean {
  return (
    c.req.header("x-forwarded-for") !== undefined ||
    c.req.header("x-real-ip") !== undefined ||
    c.req.header("forwarded") !== undefined
  );
}
