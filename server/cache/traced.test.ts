import { afterAll, beforeAll, describe, expect, test } from "bun:test";
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
import { MemoryCache } from "./memory-cache.ts";
import { tracedCache } from "./traced.ts";

let rx: OtlpReceiver;
beforeAll(async () => {
  rx = startOtlpReceiver();
  await startTracing(
    "cache-test",
    tracingSettings.load({ OTEL_EXPORTER_OTLP_ENDPOINT: rx.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
  );
});
afterAll(async () => {
  await stopTracing();
  await rx.stop();
});

describe("traced cache", () => {
  test("a span per call inside a traced operation, with hit or miss; none outside", async () => {
    const store = new MemoryCache();
    const cache = tracedCache(store, tracer()!);
    await cache.set("outside", "x", 60_000);
    await inSpan("request", async () => {
      expect(await cache.get("k")).toBeNull();
      await cache.set("k", "v", 60_000);
      expect(await cache.get("k")).toBe("v");
    });
    await flushTracing();
    await until(() => rx.spans.some((s) => s.name === "request"), "the request span");
    const request = rx.spans.find((s) => s.name === "request")!;
    const calls = rx.spans.filter((s) => s.name.startsWith("cache."));
    expect(calls.map((s) => s.name)).toEqual(["cache.get", "cache.set", "cache.get"]);
    expect(calls.map((s) => s.attributes["cache.hit"])).toEqual([false, undefined, true]);
    for (const c of calls) expect(c.parentSpanId).toBe(request.spanId);
    expect(calls[0]!.attributes["cache.kind"]).toBe("memory");
    await store.close();
  });
});
