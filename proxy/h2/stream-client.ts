import type { Socket } from "bun";
import { ADDRESS_KNOWN, type Client, type EngineState } from "../engine/state.ts";

/**
 * The engine's client record for one HTTP/2 stream: it speaks for its
 * connection's client (address, trust, forwarding lines) but is no connection
 * of its own. `sock` is the stream's socket stand-in (the engine uses only what
 * it has).
 */
export function streamClient(st: EngineState, parent: Client, sock: object): Client {
  return {
    sock: sock as unknown as Socket<Client>,
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
}
