import { endRequestSpan } from "../trace.ts";
import type { EngineState, Exchange } from "./state.ts";
import { endClient, reqId } from "./writes.ts";

/** The end of an exchange, shared by every role that can finish one. */

/** Takes the exchange out of the engine's in-flight count (once). */
export function releaseInFlight(st: EngineState, ex: Exchange): void {
  if (st.core.tracer !== null) endRequestSpan(ex);
  if (!ex.inFlight) return;
  ex.inFlight = false;
  st.inFlight--;
}

/** Whether the client connection may carry another request after this exchange. */
export function keepClient(st: EngineState, ex: Exchange): boolean {
  return ex.head.keepAlive && !st.draining && !ex.c.closeAfter && ex.bodyDone;
}

/**
 * Ends an exchange: metrics, access log, then the next pipelined request or
 * the end of the connection.
 */
export function finishExchange(st: EngineState, ex: Exchange): void {
  if (ex.done) return;
  ex.done = true;
  st.lastExchange = st.clock;
  st.collectedIdle = false;
  releaseInFlight(st, ex);
  const c = ex.c;
  const seconds = (performance.now() - ex.t0) / 1000;
  st.core.metrics.request(ex.upstreamName, ex.status, seconds);
  if (st.core.accessLog.enabled)
    st.core.accessLog.log({
      method: ex.head.method,
      path: ex.head.target,
      status: ex.status,
      ms: Math.round(seconds * 100_000) / 100,
      bytes: ex.bytesOut,
      ip: ex.clientIp,
      upstream: ex.upstreamName,
      requestId: reqId(st, ex),
    });
  if (c.ex === ex) c.ex = null;
  // An unread request body leaves the connection out of step: close it.
  if (!ex.bodyDone || !ex.head.keepAlive || st.draining) c.closeAfter = true;
  if (c.closeAfter) {
    endClient(c);
    return;
  }
  if (c.buf) st.nextRequest(st, c);
}
