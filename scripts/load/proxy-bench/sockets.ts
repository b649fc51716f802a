import { sh } from "./processes.ts";

/**
 * Upstream connection churn: TIME_WAIT sockets on the upstream ports that a
 * target caused while it was measured. Targets are measured in turn, so another
 * target's idle keep-alive sockets may close (and enter TIME_WAIT) meanwhile;
 * those are not this target's churn, hence the owner map.
 */

const portOf = (endpoint: string): number => Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));

/**
 * TIME_WAIT sockets of connections to the upstreams, keyed by both endpoints,
 * with the proxy-side endpoint (whichever end is not an upstream port).
 */
export function timeWaitSockets(ports: number[]): Map<string, string> {
  const out = sh(["taskset", "-c", "0", "ss", "-Htan", "state", "time-wait"]).out;
  const found = new Map<string, string>();
  for (const line of out.split("\n")) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) continue;
    const [local, peer] = cols.slice(-2) as [string, string];
    if (ports.includes(portOf(peer))) found.set(`${local} ${peer}`, local);
    else if (ports.includes(portOf(local))) found.set(`${local} ${peer}`, peer);
  }
  return found;
}

/** Proxy-side endpoints of the established connections `pids` hold to the upstreams. */
function upstreamSockets(pids: number[], ports: number[]): string[] {
  const out = sh(["taskset", "-c", "0", "ss", "-Htnp", "state", "established"]).out;
  const found: string[] = [];
  for (const line of out.split("\n")) {
    const m = /(\S+:\d+)\s+(\S+:\d+)\s+users:\((.*)\)/.exec(line);
    if (!m || !ports.includes(portOf(m[2]!))) continue;
    const owners = [...m[3]!.matchAll(/pid=(\d+)/g)].map((x) => Number(x[1]));
    if (owners.some((p) => pids.includes(p))) found.push(m[1]!);
  }
  return found;
}

/** Which target held each proxy-side endpoint. */
const socketOwner = new Map<string, string>();

/** Records the upstream sockets `target`'s processes hold now. */
export function noteUpstreamSockets(target: string, pids: number[], ports: number[]): void {
  for (const s of upstreamSockets(pids, ports)) socketOwner.set(s, target);
}

/** Upstream connections that entered TIME_WAIT since `before`, except those another target held. */
export function newTimeWait(target: string, before: Map<string, string>, ports: number[]): number {
  let n = 0;
  for (const [key, proxySide] of timeWaitSockets(ports)) {
    if (before.has(key)) continue;
    const owner = socketOwner.get(proxySide);
    if (owner === undefined || owner === target) n++;
  }
  return n;
}
