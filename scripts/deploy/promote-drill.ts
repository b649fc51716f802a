import { output, run, waitFor } from "./docker.ts";
import { psql } from "./pg.ts";
import { containerOf, type StackSettings, stackSettings } from "./stack.ts";

/**
 * The primary-loss drill of docs/operations.md, scripted and measured against
 * the local compose stack: anonymous carts are created through the proxy
 * (each a committed write on the primary), the primary container is SIGKILLed,
 * the runbook's steps run (promote the replica, move the `postgres-primary`
 * network alias to it), and the writes go on until one succeeds again.
 *
 * RTO: primary killed → first successful write through the proxy.
 * RPO: writes acknowledged (HTTP 201) before the kill that the promoted
 * replica does not have (count, and the age of the oldest lost one).
 * Destroys the stack's topology: run it last, then deploy:down.
 */
export interface PromoteResult {
  acknowledged: number;
  lost: number;
  rpoMs: number;
  rtoMs: number;
  promoteMs: number;
}

/** The runbook's promotion: pg_promote() on the replica, then the primary's DNS name moves to it. */
export function promoteReplica(s: StackSettings, oldPrimary: string): void {
  // Step 1: the old primary stays down (its restart policy would bring it back: split brain).
  run(["docker", "update", "--restart=no", oldPrimary], { allowFail: true });
  run(["docker", "stop", oldPrimary], { allowFail: true });
  const replica = containerOf(s, "postgres-replica");
  run([
    "docker",
    "exec",
    replica,
    "psql",
    "-U",
    "app",
    "-d",
    "commerce",
    "-tAc",
    "select pg_promote(true, 30)",
  ]);
  const net = `${s.project}_backend`;
  run(["docker", "network", "disconnect", net, replica]);
  run([
    "docker",
    "network",
    "connect",
    "--alias",
    "postgres-primary",
    "--alias",
    "postgres-replica",
    net,
    replica,
  ]);
}

export async function promoteDrill(s: StackSettings, baseUrl: string): Promise<PromoteResult> {
  const acked: { id: string; at: number }[] = [];
  let killedAt = 0;
  let firstAfterKill = 0;
  let stop = false;
  const writer = async () => {
    while (!stop) {
      try {
        const res = await fetch(`${baseUrl}/api/cart`, {
          method: "POST",
          tls: { rejectUnauthorized: false },
          signal: AbortSignal.timeout(5000),
        });
        const body = (await res.json()) as { id?: string };
        if (res.status === 201 && body.id) {
          const at = performance.now();
          acked.push({ id: body.id, at });
          if (killedAt && !firstAfterKill && at > killedAt) firstAfterKill = at;
        }
      } catch {
        // failures are expected while the primary is gone: RTO measures them
      }
    }
  };
  const writers = [writer(), writer(), writer(), writer()];
  await waitFor("writes before the kill", () => (acked.length >= 100 ? true : undefined), 60_000, 50);
  const primary = containerOf(s, "postgres-primary");
  run(["docker", "kill", "--signal", "KILL", primary]);
  killedAt = performance.now();
  const ackedBeforeKill = acked.filter((a) => a.at <= killedAt);
  promoteReplica(s, primary);
  const promoteMs = performance.now() - killedAt;
  await waitFor("a write after the promotion", () => (firstAfterKill ? true : undefined), 180_000, 100);
  stop = true;
  await Promise.all(writers);
  const replica = containerOf(s, "postgres-replica");
  const target = { kind: "container" as const, container: replica, user: "app" };
  const ids = ackedBeforeKill.map((a) => `'${a.id}'`).join(",");
  const present = new Set(psql(target, "commerce", `select id from carts where id in (${ids})`).split("\n"));
  const lost = ackedBeforeKill.filter((a) => !present.has(a.id));
  const result: PromoteResult = {
    acknowledged: ackedBeforeKill.length,
    lost: lost.length,
    rpoMs: lost.length ? Math.round(killedAt - Math.min(...lost.map((l) => l.at))) : 0,
    rtoMs: Math.round(firstAfterKill - killedAt),
    promoteMs: Math.round(promoteMs),
  };
  console.log(
    `  ok  promote drill: ${result.acknowledged} writes acknowledged before the kill, ${result.lost} lost (RPO ${result.rpoMs} ms); ` +
      `promoted in ${result.promoteMs} ms; writes again after ${result.rtoMs} ms (RTO)`,
  );
  return result;
}

if (import.meta.main) {
  const s = stackSettings();
  const r = await promoteDrill(s, `https://127.0.0.1:${s.httpsPort}`);
  console.log(JSON.stringify(r));
  console.log(
    output([
      "docker",
      "ps",
      "-a",
      "--filter",
      `label=com.docker.compose.project=${s.project}`,
      "--format",
      "{{.Names}}\t{{.Status}}",
    ]),
  );
}
