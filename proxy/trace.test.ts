import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { startOtlpReceiver } from "../platform/testing/otlp-receiver.ts";
import { until } from "../platform/testing/until.ts";
import { flushTracing, startTracing, stopTracing, tracingSettings } from "../platform/tracing.ts";
import { killAll, spawnUpstream, startTestProxy, testConfig } from "./testing/helpers.ts";

/** The proxy's trace context: passed on untouched with tracing off, continued with a span of its own with it on. */
afterAll(killAll);
afterEach(stopTracing);

const clientParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("proxy trace context", () => {
  test("tracing off: the client's traceparent reaches the upstream unchanged", async () => {
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      expect(p.core.tracer).toBeNull();
      const res = await fetch(`http://127.0.0.1:${p.port}/api/headers`, {
        headers: { traceparent: clientParent, tracestate: "vendor=1" },
      });
      const seen = (await res.json()) as Record<string, string>;
      expect(seen.traceparent).toBe(clientParent);
      expect(seen.tracestate).toBe("vendor=1");
      const none = (await (await fetch(`http://127.0.0.1:${p.port}/api/headers`)).json()) as Record<
        string,
        string
      >;
      expect(none.traceparent).toBeUndefined();
    } finally {
      await p.stop(1000);
      await up.kill();
    }
  });

  test("tracing on: one server span per request, child of the client's, named upstream in traceparent", async () => {
    const rx = startOtlpReceiver();
    await startTracing(
      "proxy",
      tracingSettings.load({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
    );
    const up = await spawnUpstream("a");
    const p = await startTestProxy(testConfig([up]));
    try {
      const continued = (await (
        await fetch(`http://127.0.0.1:${p.port}/api/headers`, { headers: { traceparent: clientParent } })
      ).json()) as Record<string, string>;
      const fresh = (await (await fetch(`http://127.0.0.1:${p.port}/api/headers`)).json()) as Record<
        string,
        string
      >;
      await flushTracing();
      await until(() => rx.spans.length >= 2, "the proxy's spans");
      const [, traceId, spanId] = continued.traceparent!.split("-");
      expect(traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
      const span = rx.spans.find((s) => s.spanId === spanId)!;
      expect(span.service).toBe("proxy");
      expect(span.parentSpanId).toBe("00f067aa0ba902b7");
      expect(span.attributes["http.response.status_code"]).toBe(200);
      expect(span.attributes["proxy.upstream"]).toBe(`127.0.0.1:${up.port}`);
      // No client context: the proxy starts the trace.
      const [, freshTrace, freshSpan] = fresh.traceparent!.split("-");
      const root = rx.spans.find((s) => s.spanId === freshSpan)!;
      expect(root.traceId).toBe(freshTrace!);
      expect(root.parentSpanId).toBe("");
    } finally {
      await p.stop(1000);
      await up.kill();
      await rx.stop();
    }
  });
});
