import { rejectHead } from "../engine/local.ts";
import type { Client, EngineState } from "../engine/state.ts";
import type { Field } from "./hpack.ts";
import type { NativeStream } from "./native-stream.ts";
import { fieldsToHttp1Head } from "./request.ts";
import { streamClient } from "./stream-client.ts";

/**
 * A new stream of the native layer becomes a client record of the engine,
 * fed its request as an HTTP/1 head (`request.ts`, the same conversion and
 * checks as the node:http2 path, straight from the decoded list). `fields` is null when the decoded list is
 * over `PROXY_H2_MAX_HEADER_LIST_BYTES`: answered 431.
 */
export function openStream(
  st: EngineState,
  parent: Client,
  s: NativeStream,
  fields: Field[] | null,
  endStream: boolean,
): void {
  const c = streamClient(st, parent, s);
  s.data = c;
  st.clients.add(c);
  if (!fields) {
    s.remoteEnded = endStream;
    rejectHead(st, c, 431, "HTTP/2 header list too large.");
    return;
  }
  const r = fieldsToHttp1Head(fields);
  if (!r.ok) {
    s.remoteEnded = endStream;
    rejectHead(st, c, 400, `Malformed HTTP/2 request: ${r.reason}.`);
    return;
  }
  s.open(r.head, r.length, endStream);
}
