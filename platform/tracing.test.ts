import { afterEach, describe, expect, test } from "bun:test";
import { createLogger } from "./logger.ts";
import { startOtlpReceiver } from "./testing/otlp-receiver.ts";
import { until } from "./testing/until.ts";
import {
  contextFrom,
  flushTracing,
  headersOf,
  inSpan,
  startTracing,
  stopTracing,
  tracer,
  tracingSettings,
} from "./tracing.ts";

afterEach(stopTracing);

describe("tracing", () => {
  test("off without an endpoint: no tracer, no headers, spans cost nothing", async () => {
    expect(await startTracing("t", tracingSettings.load({}))).toBe(false);
    expect(tracer()).toBeNull();
    expect(headersOf()).toEqual({});
    expect(await inSpan("x", async (span) => span)).toBeNull();
  });

  test("exports OTLP/HTTP JSON with parent links and continues a caller's traceparent", async () => {
    const rx = startOtlpReceiver();
    try {
      await startTracing(
        "unit",
        tracingSettings.load({
          OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        }),
      );
      const caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      let inner: Record<string, string> = {};
      await inSpan(
        "outer",
        () =>
          inSpan("inner", async () => {
            inner = headersOf();
          }),
        { parent: contextFrom({ traceparent: caller }) },
      );
      await flushTracing();
      await until(() => rx.spans.length >= 2, "two spans");
      const outer = rx.spans.find((s) => s.name === "outer")!;
      const innerSpan = rx.spans.find((s) => s.name === "inner")!;
      expect(outer.service).toBe("unit");
      expect(outer.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
      expect(outer.parentSpanId).toBe("b7ad6b7169203331");
      expect(innerSpan.parentSpanId).toBe(outer.spanId);
      expect(inner.traceparent).toBe(`00-${outer.traceId}-${innerSpan.spanId}-01`);
      expect(rx.contentTypes[0]).toContain("application/json");
    } finally {
      await rx.stop();
    }
  });

  test("protobuf is the default encoding", async () => {
    const rx = startOtlpReceiver();
    try {
      await startTracing("unit", tracingSettings.load({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url }));
      await inSpan("one", async () => {});
      await flushTracing();
      await until(() => rx.contentTypes.length > 0, "an export");
      expect(rx.contentTypes[0]).toBe("application/x-protobuf");
    } finally {
      await rx.stop();
    }
  });

  test("a ratio of 0 records no new trace but still propagates ids", async () => {
    const rx = startOtlpReceiver();
    try {
      await startTracing(
        "unit",
        tracingSettings.load({
          OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_TRACES_SAMPLER_ARG: "0",
        }),
      );
      let tp = "";
      await inSpan("dropped", async () => {
        tp = headersOf().traceparent ?? "";
      });
      await flushTracing();
      expect(tp).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      expect(rx.spans).toHaveLength(0);
    } finally {
      await rx.stop();
    }
  });

  test("log lines inside a span carry trace_id and span_id", async () => {
    const rx = startOtlpReceiver();
    await startTracing("unit", tracingSettings.load({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url }));
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const log = createLogger("info");
      log.info("outside");
      await inSpan("logged", async () => log.info("inside"));
    } finally {
      process.stdout.write = write;
      await stopTracing();
      await rx.stop();
    }
    const [outside, inside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(outside!.trace_id).toBeUndefined();
    expect(inside!.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(inside!.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  test("rejects a bad sampler ratio", () => {
    expect(() => tracingSettings.load({ OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });
});
