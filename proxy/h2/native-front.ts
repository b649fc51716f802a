import type { EngineState } from "../engine/state.ts";
import type { H2Front } from "./connection.ts";
import { NativeConnection } from "./native.ts";
import { MAX_FRAME } from "./native-send.ts";

/** Builds the native HTTP/2 front of an engine. */
export function createNativeH2Front(st: EngineState): H2Front {
  const cfg = () => st.core.cfg.h2;
  const connections = new Set<NativeConnection>();
  const sweeper = setInterval(() => {
    const now = st.clock;
    const { clientIdleMs, headerMs } = st.core.cfg.timeouts;
    const { sendTimeoutMs } = cfg();
    const wall = Date.now();
    for (const conn of connections) {
      if (conn.c.closed) {
        connections.delete(conn);
        continue;
      }
      // A header block left open (HEADERS without its last CONTINUATION): a slow-loris over HTTP/2.
      const since = conn.guard.blockSince;
      if (since && now - since > headerMs) conn.kill("header-timeout");
      if (conn.streams.size === 0) {
        if (now - conn.lastActive > clientIdleMs) conn.kill("idle");
        else conn.release();
      }
      // A response that cannot leave because the client keeps its window shut holds memory.
      for (const s of [...conn.streams.values()]) {
        if (s.blockedSince && wall - s.blockedSince > sendTimeoutMs) {
          st.core.metrics.h2Cut.inc({ reason: "stalled" });
          s.cancel();
        }
      }
    }
  }, 1000);
  sweeper.unref();
  return {
    attach(c, sock) {
      const h = cfg();
      sock.setNoDelay(true);
      const conn = new NativeConnection(st, c, sock, {
        maxResetsPerSecond: h.maxResetsPerSecond,
        maxControlPerSecond: h.maxControlPerSecond,
        maxHeaderBlockBytes: h.maxHeaderListBytes + 4096,
        maxContinuations: h.maxContinuations,
        maxFrameBytes: MAX_FRAME,
      });
      c.h2 = conn;
      st.core.metrics.h2Connections++;
      connections.add(conn);
    },
    close() {
      clearInterval(sweeper);
    },
  };
}
