import { context, propagation, type Tracer, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TracingSettings } from "./tracing.ts";

/**
 * The OpenTelemetry SDK half of tracing, imported by `startTracing` only when
 * tracing is on, so processes without an endpoint never load the SDK, its
 * exporters or the AsyncLocalStorage context manager.
 */

/** Options of `startTracing` beyond the settings. */
export interface TracingOptions {
  /** replaces the OTLP exporter (tests may collect spans themselves) */
  processor?: SpanProcessor;
  /** `service.instance.id` (which app instance of several) */
  instanceId?: string;
}

/** A started SDK: the tracer and the controls `platform/tracing.ts` needs. */
export interface TracingRuntime {
  tracer: Tracer;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The sampler the settings ask for. */
export function samplerFor(
  s: Pick<TracingSettings, "OTEL_TRACES_SAMPLER" | "OTEL_TRACES_SAMPLER_ARG">,
): Sampler {
  const ratio = new TraceIdRatioBasedSampler(s.OTEL_TRACES_SAMPLER_ARG);
  switch (s.OTEL_TRACES_SAMPLER) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    default:
      return new ParentBasedSampler({ root: ratio });
  }
}

/**
 * Registers the provider (OTLP/HTTP exporter in the configured encoding,
 * batched; the sampler), the W3C propagator and the context manager as the
 * process's globals.
 */
export function startSdk(
  serviceName: string,
  settings: TracingSettings,
  opts: TracingOptions,
): TracingRuntime {
  const endpoint = settings.OTEL_EXPORTER_OTLP_ENDPOINT ?? "";
  const traceUrl = `${endpoint.replace(/\/+$/, "")}/v1/traces`;
  const processor =
    opts.processor ??
    new BatchSpanProcessor({
      exporter:
        settings.OTEL_EXPORTER_OTLP_PROTOCOL === "http/json"
          ? new OtlpJsonExporter({ url: traceUrl })
          : new OtlpProtoExporter({ url: traceUrl }),
      scheduledDelayMillis: 1000,
      maxQueueSize: 4096,
    });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.OTEL_SERVICE_NAME ?? serviceName,
      ...(opts.instanceId ? { "service.instance.id": opts.instanceId } : {}),
    }),
    sampler: samplerFor(settings),
    spanProcessors: [processor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer("commerce-platform"),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
