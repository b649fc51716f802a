import { problemBody } from "../../platform/problem.ts";
import { reasons } from "../headers.ts";
import { finishExchange, keepClient } from "./exchange.ts";
import { type Client, CRLF, CRLF_CRLF, type EngineState, type Exchange } from "./state.ts";
import {
  endClient,
  outBuffer,
  securityBlock,
  sendClient,
  sendClientAssembled,
  statusLineText,
  writeDecimal,
  writeRequestId,
} from "./writes.ts";

/** Local replies: responses the proxy makes itself (problems, redirects, static files from memory). */

/** A local response head; `lines` is `pairs` already rendered (cached static replies). */
export function headText(
  st: EngineState,
  status: number,
  pairs: [string, string][],
  secure: boolean,
  keep: boolean,
  lines?: string,
): string {
  let h = `HTTP/1.1 ${status} ${reasons[status] ?? "Status"}${CRLF}`;
  if (lines !== undefined) h += lines;
  else for (const [k, v] of pairs) h += `${k}: ${v}${CRLF}`;
  h += secure ? st.core.headers.https : st.core.headers.http;
  if (!keep) h += `Connection: close${CRLF}`;
  return h;
}

/** Answers an exchange with a complete local response (problems, redirects, cached static files). */
export function respondLocal(
  st: EngineState,
  ex: Exchange,
  status: number,
  pairs: [string, string][],
  body: Uint8Array | string,
  lines?: string,
): void {
  if (ex.done) return;
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const keep = keepClient(st, ex);
  if (!keep) ex.c.closeAfter = true;
  ex.status = status;
  ex.resStarted = true;
  const withBody = ex.head.method !== "HEAD" && status !== 304 && bytes.length > 0;
  // Written piece by piece into the scratch buffer with the body, sent in one write:
  // static files are answered here, and their header lines come pre-rendered.
  const statusLine = statusLineText(status);
  const pre = lines ?? pairs.map(([k, v]) => `${k}: ${v}${CRLF}`).join("");
  const security = securityBlock(st, ex.c.secure);
  const out = outBuffer(
    st,
    statusLine.length + pre.length + security.length + ex.extra.length + ex.head.end + 96 + bytes.length,
  );
  let n = out.latin1Write(statusLine, 0);
  n += out.latin1Write(pre, n);
  if (!keep) n += out.latin1Write(`Connection: close${CRLF}`, n);
  n += security.copy(out, n);
  n += writeRequestId(st, ex, out, n);
  n += out.latin1Write(CRLF, n);
  if (ex.extra) n += out.latin1Write(ex.extra, n);
  n += out.latin1Write("Content-Length: ", n);
  n += writeDecimal(bytes.length, out, n);
  n += out.latin1Write(CRLF_CRLF, n);
  if (withBody) {
    out.set(bytes, n);
    n += bytes.length;
  }
  sendClientAssembled(st, ex.c, out, n);
  ex.bytesOut += bytes.length;
  finishExchange(st, ex);
}

/** Answers with an RFC 9457 problem (`platform/problem.ts` format). */
export function problem(
  st: EngineState,
  ex: Exchange,
  status: number,
  code: string,
  detail: string,
  extra: [string, string][] = [],
): void {
  const body = JSON.stringify(problemBody(status, code, detail));
  respondLocal(st, ex, status, [["Content-Type", "application/problem+json"], ...extra], body);
}

/** For errors before an exchange exists (bad head): answer and close. */
export function rejectHead(st: EngineState, c: Client, status: number, detail: string): void {
  const body = JSON.stringify(problemBody(status, "bad-request", detail));
  const head = headText(st, status, [["Content-Type", "application/problem+json"]], c.secure, false);
  sendClient(st, c, `${head}Content-Length: ${Buffer.byteLength(body)}${CRLF}${CRLF}${body}`);
  c.buf = null;
  c.closeAfter = true;
  endClient(c);
  st.core.metrics.request("local", status, 0);
}

/** Refuses a connection over `PROXY_MAX_CONNS_PER_IP`: 429 and close. */
export function tooManyConnections(st: EngineState, c: Client): void {
  const body = JSON.stringify(
    problemBody(429, "too-many-connections", "Too many connections from your address."),
  );
  const pairs: [string, string][] = [
    ["Content-Type", "application/problem+json"],
    ["Retry-After", "1"],
  ];
  const head = headText(st, 429, pairs, c.secure, false);
  sendClient(st, c, `${head}Content-Length: ${Buffer.byteLength(body)}${CRLF}${CRLF}${body}`);
  c.closeAfter = true;
  st.core.metrics.rateLimited.inc({ zone: "connections" });
  endClient(c);
}
