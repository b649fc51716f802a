import type { StaticReply } from "../static.ts";
import { finishExchange, keepClient } from "./exchange.ts";
import { headText, problem, respondLocal } from "./local.ts";
import { type Client, CRLF, type EngineState, type Exchange } from "./state.ts";
import { reqId, sendClient } from "./writes.ts";

/** Static files: the storefront and everything outside the proxied paths, from `web/`. */

/** A non-API path: a file under the static root (GET and HEAD only). */
export function serveStatic(st: EngineState, ex: Exchange): void {
  ex.upstreamName = "static";
  const m = ex.head.method;
  if (m !== "GET" && m !== "HEAD") {
    problem(st, ex, 405, "method-not-allowed", "Static files are read-only.", [["Allow", "GET, HEAD"]]);
    return;
  }
  const enc = st.core.cfg.compression.enabled ? pickAccept(ex) : null;
  const r = st.core.statics.serve(ex.head.path, (n) => ex.head.field(n), enc);
  if (r instanceof Promise)
    r.then(
      (rep) => writeStatic(st, ex, rep),
      () => problem(st, ex, 404, "not-found", "No such file."),
    );
  else writeStatic(st, ex, r);
}

/** The preferred coding the client accepts for precompressed siblings. */
function pickAccept(ex: Exchange): "br" | "gzip" | null {
  const ae = ex.head.field("accept-encoding");
  if (!ae) return null;
  const set = acceptedEncodings(ae);
  return set.has("br") ? "br" : set.has("gzip") ? "gzip" : null;
}

/** Answers with a static reply: from memory in one write, or streamed from disk. */
function writeStatic(st: EngineState, ex: Exchange, r: StaticReply): void {
  if (ex.done || ex.c.closed) return;
  if (r.status === 404) {
    problem(st, ex, 404, "not-found", "No such file.");
    return;
  }
  if (!r.file) {
    respondLocal(st, ex, r.status, r.headers, r.body ?? new Uint8Array(0), r.lines);
    return;
  }
  const { path, start, end } = r.file;
  const length = end - start + 1;
  const keep = keepClient(st, ex);
  if (!keep) ex.c.closeAfter = true;
  const head = `${headText(st, r.status, r.headers, ex.c.secure, keep)}X-Request-Id: ${reqId(st, ex)}${CRLF}Content-Length: ${length}${CRLF}${CRLF}`;
  ex.status = r.status;
  ex.resStarted = true;
  sendClient(st, ex.c, head);
  if (ex.head.method === "HEAD") {
    finishExchange(st, ex);
    return;
  }
  void streamFile(st, ex, path, start, end + 1);
}

/** Streams a file range to the client, waiting for its queue to drain between reads. */
async function streamFile(
  st: EngineState,
  ex: Exchange,
  path: string,
  start: number,
  end: number,
): Promise<void> {
  const c = ex.c;
  try {
    const reader = Bun.file(path).slice(start, end).stream().getReader();
    for (;;) {
      if (c.closed) {
        await reader.cancel();
        return;
      }
      if (c.out) {
        await waitDrain(st, c);
        continue;
      }
      const { done, value } = await reader.read();
      if (done) break;
      ex.bytesOut += value.length;
      sendClient(st, c, Buffer.from(value.buffer, value.byteOffset, value.length));
    }
    finishExchange(st, ex);
  } catch (err) {
    st.core.logger.warn("static stream failed", { path, err });
    ex.done = true;
    c.sock.terminate();
  }
}

/** Resolves when the client's write queue has drained (or it closed). */
function waitDrain(st: EngineState, c: Client): Promise<void> {
  return new Promise((resolve) => {
    const list = st.drainWaiters.get(c) ?? [];
    list.push(resolve);
    st.drainWaiters.set(c, list);
  });
}

/** Parses Accept-Encoding into the set of codings with q > 0. */
export function acceptedEncodings(value: string): Set<string> {
  const out = new Set<string>();
  for (const part of value.split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (!coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && Number(q.slice(2)) === 0) continue;
    out.add(coding.trim());
  }
  return out;
}
