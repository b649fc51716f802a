import type { MiddlewareHandler } from "hono";

const valid = /^[\w.:@/+=-]{1,200}$/;

/** Keeps a well-formed incoming `X-Request-Id` or makes one, and echoes it on the response. */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const id = incoming && valid.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}
