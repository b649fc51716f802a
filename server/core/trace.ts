import { context, trace } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import { contextFrom, failSpan, SpanKind, SpanStatusCode, type Tracer } from "../../platform/tracing.ts";

/**
 * The app's server span per request, continuing the caller's W3C trace
 * context (the proxy's span); everything the request does (statements, cache
 * calls, the outbox write) runs inside it. Mounted only when tracing is on.
 * The span is named by the matched route, never by the raw path.
 */
export function traceRequests(tracer: Tracer): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async function traceRequest(c, next) {
    const traceparent = c.req.header("traceparent");
    const tracestate = c.req.header("tracestate");
    const parent = contextFrom(
      traceparent ? (tracestate ? { traceparent, tracestate } : { traceparent }) : null,
    );
    const method = c.req.method;
    const span = tracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "url.path": c.req.path } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      const route = c.req.routePath && c.req.routePath !== "/*" ? c.req.routePath : "unmatched";
      span.updateName(`${method} ${route}`);
      span.setAttribute("http.route", route);
      span.setAttribute("http.response.status_code", c.res.status);
      const id = c.get("requestId");
      if (id) span.setAttribute("request.id", id);
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}
