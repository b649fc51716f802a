import { readFileSync } from "node:fs";

/**
 * The image's HEALTHCHECK. Two checks, each optional:
 *
 * - `HEALTHCHECK_URL` (default: this app instance's `/readyz`): GET it, healthy
 *   on a 2xx within 2 s. The proxy points it at its admin `/healthz`, the
 *   workers at their health port once they have one; `none` turns it off.
 * - `HEALTHCHECK_TCP_PEER_PORT` (e.g. 5672): healthy only while the container
 *   holds an established TCP connection to that remote port. The workers use it
 *   for their broker connection: a worker whose RabbitMQ connection died stops
 *   being healthy (and is restarted by Swarm/Kubernetes) instead of idling.
 */
const ESTABLISHED = "01";

/** True when /proc/net/tcp{,6} lists an established connection to `port` on the remote side. */
export function hasEstablishedPeer(port: number, tables = ["/proc/net/tcp", "/proc/net/tcp6"]): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of tables) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const [, , remote, state] = line.trim().split(/\s+/);
      if (remote?.endsWith(`:${hex}`) && state === ESTABLISHED) return true;
    }
  }
  return false;
}

if (import.meta.main) {
  const peer = process.env.HEALTHCHECK_TCP_PEER_PORT;
  if (peer && !hasEstablishedPeer(Number(peer))) process.exit(1);
  const target = process.env.HEALTHCHECK_URL ?? `http://127.0.0.1:${process.env.PORT ?? "3001"}/readyz`;
  if (target === "none") process.exit(0);
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(2000) });
    process.exit(res.ok ? 0 : 1);
  } catch {
    process.exit(1);
  }
}
