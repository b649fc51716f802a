import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { withConsistency } from "../db/context.ts";
import { HttpProblem, problemBody } from "../platform/problem.ts";
import { tracer } from "../platform/tracing.ts";
import type { AppDeps, AppEnv, RouteModule } from "./core/deps.ts";
import { requestId } from "./core/request-id.ts";
import { traceRequests } from "./core/trace.ts";
import { opsRoutes } from "./ops/routes.ts";
import { notFoundPage } from "./storefront/render.tsx";

export interface AppOptions {
  modules?: RouteModule[];
  isDraining?: () => boolean;
}

/**
 * Builds the Hono app: request ids, trace spans (when tracing is on), metrics, per-request read consistency,
 * problem errors, the ops routes and every domain module.
 */
export function createApp(deps: AppDeps, opts: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const requests = deps.metrics.counter("http_requests_total", "HTTP requests by method, route and status");
  const latency = deps.metrics.histogram(
    "http_request_duration_seconds",
    "HTTP request latency by method and route",
  );
  const inFlight = deps.metrics.gauge("http_requests_in_flight", "requests being handled now");

  app.use(requestId());
  // Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT): a server span per request; off: not mounted at all.
  const t = tracer();
  if (t) app.use(traceRequests(t));
  app.use(async function observe(c, next) {
    const started = performance.now();
    inFlight.inc();
    try {
      await withConsistency({}, next);
    } finally {
      inFlight.dec();
      const route = c.req.routePath && c.req.routePath !== "/*" ? c.req.routePath : "unmatched";
      const labels = { method: c.req.method, route };
      requests.inc({ ...labels, status: c.res.status });
      latency.observe(labels, (performance.now() - started) / 1000);
    }
  });
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) =>
        c.json(problemBody(413, "payload-too-large", "The request body exceeds 1 MiB."), 413, {
          "Content-Type": "application/problem+json",
        }),
    }),
  );

  app.onError((err, c) => {
    if (err instanceof HttpProblem) {
      const res = c.json(err.toBody(), err.status as 400, { "Content-Type": "application/problem+json" });
      for (const [k, v] of Object.entries(err.headers ?? {})) res.headers.set(k, v);
      return res;
    }
    deps.logger.error("unhandled error", { requestId: c.get("requestId"), path: c.req.path, err });
    return c.json(
      problemBody(
        500,
        "internal",
        "Something went wrong on our side. Quote the request id when reporting it.",
        undefined,
        { request_id: c.get("requestId") },
      ),
      500,
      {
        "Content-Type": "application/problem+json",
      },
    );
  });
  app.notFound((c) =>
    // a browser asking for a page gets the storefront's 404 page; API clients the problem document
    !c.req.path.startsWith("/api/") && (c.req.header("accept") ?? "").includes("text/html")
      ? notFoundPage(c)
      : c.json(problemBody(404, "not-found", `No route for ${c.req.method} ${c.req.path}.`), 404, {
          "Content-Type": "application/problem+json",
        }),
  );

  app.route("/", opsRoutes(deps, opts.isDraining ?? (() => false)));
  for (const mount of opts.modules ?? []) mount(app, deps);
  return app;
}
