import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { z } from "zod";
import { setTraceFieldSource } from "./logger.ts";
import { defineSettings, knob, type Settings, url } from "./settings.ts";
import type { TracingOptions, TracingRuntime } from "./tracing-sdk.ts";

export type { Context, Span, Tracer };
export { SpanKind, SpanStatusCode };

/**
 * Distributed tracing with OpenTelemetry: W3C trace context in and out of
 * every process, spans exported over OTLP/HTTP when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Without an endpoint nothing is
 * registered and the SDK is not even loaded (`tracing-sdk.ts` is imported on
 * demand): `tracer()` is null, callers skip their span code, and the
 * OpenTelemetry API's no-op paths are all that remains.
 */

const samplers = [
  "parentbased_traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "traceidratio",
  "always_on",
  "always_off",
] as const;

/** The tracing settings (standard OpenTelemetry variable names; listed by `bun scripts/config-table.ts`). */
export const tracingSettings = defineSettings("tracing", {
  OTEL_EXPORTER_OTLP_ENDPOINT: knob(
    url(["http", "https"]).optional(),
    undefined,
    "OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`), e.g. Jaeger or Tempo on port 4318; unset: tracing off",
  ),
  OTEL_EXPORTER_OTLP_PROTOCOL: knob(
    z.enum(["http/protobuf", "http/json"]),
    "http/protobuf",
    "OTLP encoding: `http/protobuf` or `http/json`",
  ),
  OTEL_TRACES_SAMPLER: knob(
    z.enum(samplers),
    "parentbased_traceidratio",
    "which requests are recorded: `parentbased_*` follow the caller's `traceparent` decision and apply the rest to new traces",
  ),
  OTEL_TRACES_SAMPLER_ARG: knob(
    z
      .string()
      .trim()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, "must be a number from 0 to 1")
      .transform(Number),
    "1",
    "share of new traces recorded by the `*traceidratio` samplers (0–1)",
  ),
  OTEL_SERVICE_NAME: knob(
    z.string().trim().min(1).optional(),
    undefined,
    "service name on exported spans (default: the process role: `proxy`, `app`, `workers`)",
  ),
});

/** The parsed tracing settings. */
export type TracingSettings = Settings<typeof tracingSettings.knobs>;

let runtime: TracingRuntime | null = null;
let activeTracer: Tracer | null = null;

export type { TracingOptions };

/**
 * Turns tracing on for this process when an endpoint is configured (or a
 * processor is given): OTLP exporter, sampler, W3C propagator and the
 * AsyncLocalStorage context manager (`tracing-sdk.ts`). Returns whether
 * tracing is on. Called once by each process entry, before anything that
 * decides at start-up whether to make spans (the proxy core, the database
 * client, the app).
 */
export async function startTracing(
  serviceName: string,
  settings: TracingSettings = tracingSettings.load(),
  opts: TracingOptions = {},
): Promise<boolean> {
  if (runtime) return true;
  if (!settings.OTEL_EXPORTER_OTLP_ENDPOINT && !opts.processor) return false;
  const sdk = await import("./tracing-sdk.ts");
  runtime = sdk.startSdk(serviceName, settings, opts);
  activeTracer = runtime.tracer;
  setTraceFieldSource(activeTraceFields);
  return true;
}

/** The process's tracer, or null when tracing is off (callers skip span work entirely). */
export function tracer(): Tracer | null {
  return activeTracer;
}

/** Exports what is buffered and stops tracing (shutdown; tests). */
export async function stopTracing(): Promise<void> {
  const r = runtime;
  runtime = null;
  activeTracer = null;
  setTraceFieldSource(null);
  if (!r) return;
  await r.flush().catch(() => {});
  await r.shutdown().catch(() => {});
  trace.disable();
  context.disable();
  propagation.disable();
}

/** Sends buffered spans now (tests wait for them). */
export async function flushTracing(): Promise<void> {
  await runtime?.flush();
}

/** W3C trace context headers (`traceparent`, `tracestate`) as a plain record. */
export type TraceHeaders = Record<string, string>;

const recordGetter: TextMapGetter<TraceHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** A context whose parent is the span the headers name (the root context when they name none). */
export function contextFrom(headers: TraceHeaders | null | undefined): Context {
  if (!headers || !activeTracer) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, recordGetter);
}

/** The trace context headers naming `ctx`'s span (empty when tracing is off or there is none). */
export function headersOf(ctx: Context = context.active()): TraceHeaders {
  const out: TraceHeaders = {};
  if (activeTracer) propagation.inject(ctx, out, { set: (c, k, v) => (c[k] = v) });
  return out;
}

/** `traceparent` of a span (version 00). */
export function traceparentOf(span: Span): string {
  const sc = span.spanContext();
  return `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags & 1 ? "01" : "00"}`;
}

/**
 * Runs `fn` in a new span, child of the active one (or of `parent`), and ends
 * it with an error status when `fn` throws. Without tracing `fn` just runs.
 */
export async function inSpan<T>(
  name: string,
  fn: (span: Span | null) => Promise<T>,
  opts: { kind?: SpanKind; attributes?: Record<string, string | number | boolean>; parent?: Context } = {},
): Promise<T> {
  const t = activeTracer;
  if (!t) return fn(null);
  const parent = opts.parent ?? context.active();
  const span = t.startSpan(name, { kind: opts.kind, attributes: opts.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Marks a span failed with the error's message. */
export function failSpan(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** `trace_id` and `span_id` of the active span, for log lines (null outside a span or with tracing off). */
export function activeTraceFields(): { trace_id: string; span_id: string } | null {
  if (!activeTracer) return null;
  const span = trace.getActiveSpan();
  if (!span) return null;
  const sc = span.spanContext();
  return { trace_id: sc.traceId, span_id: sc.spanId };
}
