import type { IncomingHttpHeaders } from "node:http2";
import type { Socket } from "bun";
import { rejectHead } from "../engine/local.ts";
import { ADDRESS_KNOWN, type Client, type EngineState } from "../engine/state.ts";
import type { Field } from "./hpack.ts";
import type { NativeStream } from "./native-stream.ts";
import { toHttp1Head } from "./request.ts";

/**
 * A new stream of the native layer becomes a client record of the engine,
 * fed its request as an HTTP/1 head (`request.ts`, the same conversion and
 * checks as the node:http2 path). `fields` is null when the decoded list is
 * over `PROXY_H2_MAX_HEADER_LIST_BYTES`: answered 431.
 */
export function openStream(
  st: EngineState,
  parent: Client,
  s: NativeStream,
  fields: Field[] | null,
  endStream: boolean,
): void {
  const c: Client = {
    sock: s as unknown as Socket<Client>, // the engine uses only what NativeStream has
    ip: parent.ip,
    trusted: parent.trusted,
    // The connection holds the per-IP count; its streams are not connections.
    pending: ADDRESS_KNOWN,
    counted: false,
    secure: parent.secure,
    buf: null,
    headStart: 0,
    ex: null,
    out: null,
    closeAfter: false,
    lastActive: st.clock,
    closed: false,
    tunnel: null,
    redirect: false,
    forwarded: parent.forwarded,
    forwardedFor: parent.forwardedFor,
    h2: null,
    stream: true,
  };
  s.data = c;
  st.clients.add(c);
  if (!fields) {
    s.remoteEnded = endStream;
    rejectHead(st, c, 431, "HTTP/2 header list too large.");
    return;
  }
  const r = toHttp1Head(toHeaderObject(fields));
  if (!r.ok) {
    s.remoteEnded = endStream;
    rejectHead(st, c, 400, `Malformed HTTP/2 request: ${r.reason}.`);
    return;
  }
  s.open(r.head, r.length, endStream);
}

/** The list as node:http2 shapes it (repeated names as arrays), what `toHttp1Head` reads. */
function toHeaderObject(fields: Field[]): IncomingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of fields) {
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (typeof seen === "string") out[name] = [seen, value];
    else seen.push(value);
  }
  return out as IncomingHttpHeaders;
}
