import {
  contextFrom,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  traceparentOf,
} from "../platform/tracing.ts";
import type { Exchange } from "./engine/state.ts";
import { F_TRACEPARENT } from "./http1.ts";

/**
 * The proxy's part of a trace: one server span per request, continuing the
 * client's `traceparent` when it sent a valid one, with an event per upstream
 * attempt. Only called when tracing is on (`ProxyCore.tracer`); with it off
 * the engine never reaches this module and allocates nothing for tracing.
 * The spans live in a side table rather than on the `Exchange`, so the
 * engine's per-request record keeps the shape it has without tracing.
 */

/** A request's span and the `traceparent` naming it, sent upstream. */
interface RequestTrace {
  span: Span;
  traceparent: string;
}
const traces = new WeakMap<Exchange, RequestTrace>();

/** Starts the request's span and the `traceparent` the upstream will get (naming this span). */
export function startRequestSpan(tracer: Tracer, ex: Exchange): void {
  const head = ex.head;
  const from = head.fieldFrom(F_TRACEPARENT);
  const parent = contextFrom(
    from < 0 ? null : { traceparent: head.buf.latin1Slice(from, head.fieldTo(F_TRACEPARENT)) },
  );
  const span = tracer.startSpan(`proxy ${head.method}`, { kind: SpanKind.SERVER }, parent);
  // A request the sampler left out still needs ids to pass on, but no attributes (nor the path string).
  if (span.isRecording())
    span.setAttributes({
      "http.request.method": head.method,
      "url.path": head.path,
      "client.address": ex.clientIp,
    });
  traces.set(ex, { span, traceparent: traceparentOf(span) });
}

/** The `traceparent` the upstream gets for this request (undefined when it has no span). */
export function upstreamTraceparent(ex: Exchange): string | undefined {
  return traces.get(ex)?.traceparent;
}

/** Notes an attempt on an upstream (the first, or a retry after a failure). */
export function noteAttempt(ex: Exchange, upstream: string, attempt: number): void {
  const span = traces.get(ex)?.span;
  if (span?.isRecording()) span.addEvent("upstream attempt", { "server.address": upstream, attempt });
}

/** Ends the request's span with its outcome (once). */
export function endRequestSpan(ex: Exchange): void {
  const span = traces.get(ex)?.span;
  if (span === undefined) return;
  traces.delete(ex);
  if (!span.isRecording()) return;
  const status = ex.status;
  span.setAttribute("http.response.status_code", status);
  span.setAttribute("proxy.upstream", ex.upstreamName);
  if (ex.attempts > 1) span.setAttribute("proxy.attempts", ex.attempts);
  if (status >= 500 || status === 0) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
