import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { type OtlpReceiver, startOtlpReceiver } from "../../platform/testing/otlp-receiver.ts";
import { until } from "../../platform/testing/until.ts";
import {
  flushTracing,
  inSpan,
  startTracing,
  stopTracing,
  tracer,
  tracingSettings,
} from "../../platform/tracing.ts";
import { requestId } from "./request-id.ts";
import { traceRequests } from "./trace.ts";

let rx: OtlpReceiver;
beforeAll(async () => {
  rx = startOtlpReceiver();
  await startTracing(
    "app-test",
    tracingSettings.load({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
  );
});
afterAll(async () => {
  await stopTracing();
  await rx.stop();
});

function app(): Hono<{ Variables: { requestId: string } }> {
  const a = new Hono<{ Variables: { requestId: string } }>();
  a.use(requestId());
  a.use(traceRequests(tracer()!));
  a.get("/api/items/:id", (c) => inSpan("lookup", async () => c.json({ id: c.req.param("id") })));
  a.get("/api/boom", () => {
    throw new Error("boom");
  });
  a.onError((_err, c) => c.json({ status: 500 }, 500));
  return a;
}

describe("app request spans", () => {
  test("continue the caller's traceparent, are named by route and hold the request's work", async () => {
    const caller = "00-5bf92f3577b34da6a3ce929d0e0e4736-10f067aa0ba902b7-01";
    const res = await app().request("/api/items/42", {
      headers: { traceparent: caller, "x-request-id": "req-trace-1" },
    });
    expect(res.status).toBe(200);
    await app().request("/api/boom");
    await flushTracing();
    await until(() => rx.spans.some((s) => s.name === "GET /api/boom"), "the failing request's span");
    const route = rx.spans.find((s) => s.name === "GET /api/items/:id")!;
    expect(route.traceId).toBe("5bf92f3577b34da6a3ce929d0e0e4736");
    expect(route.parentSpanId).toBe("10f067aa0ba902b7");
    expect(route.attributes["http.route"]).toBe("/api/items/:id");
    expect(route.attributes["request.id"]).toBe("req-trace-1");
    expect(route.attributes["http.response.status_code"]).toBe(200);
    expect(rx.spans.find((s) => s.name === "lookup")!.parentSpanId).toBe(route.spanId);
    const boom = rx.spans.find((s) => s.name === "GET /api/boom")!;
    expect(boom.parentSpanId).toBe("");
    expect(boom.attributes["http.response.status_code"]).toBe(500);
  });
});
