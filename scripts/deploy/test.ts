import { join } from "node:path";
import { ensureDockerd, output } from "./docker.ts";
import { killUnderLoad, restoreDrill, walArchived } from "./drills.ts";
import { promoteDrill } from "./promote-drill.ts";
import { runSmoke } from "./smoke.ts";
import {
  appHealth,
  compose,
  containerOf,
  healthOf,
  removeLeftovers,
  secret,
  stackSettings,
} from "./stack.ts";
import { ADMIN_EMAIL, deployUp } from "./up.ts";

/**
 * `bun run deploy:test`: the production compose (with the local override) for
 * real: deploy:up, the smoke suite through the published proxy port, one app
 * container killed under GET load (no failed GETs), a backup restored into a
 * fresh database and compared table by table, then everything taken down
 * (containers, networks, volumes). On the way it checks WAL archiving and runs
 * the primary-loss drill (promote-drill.ts), which measures RPO and RTO. `--swarm` (or DEPLOY_TEST_SWARM=1) also
 * runs the same smoke suite on a one-node Swarm (scripts/deploy/swarm.ts).
 * Starts dockerd when no engine answers and stops it again at the end.
 */
const t0 = performance.now();
const secs = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
const stopDockerd = await ensureDockerd();
let s = stackSettings();
const report: string[] = [];
let failed = false;
try {
  const tUp = performance.now();
  s = await deployUp();
  report.push(`deploy:up ${secs(tUp)}`);
  const baseUrl = `https://127.0.0.1:${s.httpsPort}`;
  const egress = output([
    "docker",
    "network",
    "inspect",
    `${s.project}_egress`,
    "-f",
    "{{(index .IPAM.Config 0).Gateway}}",
  ]);

  console.log("smoke suite (compose):");
  const tSmoke = performance.now();
  await runSmoke({
    baseUrl,
    adminEmail: ADMIN_EMAIL,
    adminPassword: secret(s, "admin_password"),
    webhookHost: egress,
    fullHealth: async () => appHealth(containerOf(s, "app-1")),
  });
  report.push(`smoke ${secs(tSmoke)}`);

  const victim = containerOf(s, "app-2");
  const load = await killUnderLoad({
    baseUrl,
    paths: ["/api/catalog/products", "/api/catalog/categories", "/healthz", "/api/search?q=smoke"],
    container: victim,
    durationMs: 5000,
    concurrency: 8,
    isHealthy: () => healthOf(victim) === "healthy",
  });
  report.push(`kill under load: ${load.requests} GETs, ${load.failures.length} failed`);
  if (load.failures.length)
    throw new Error(`failed GETs while app-2 was down: ${load.failures.slice(0, 5).join("; ")}`);

  const primary = { kind: "container" as const, container: containerOf(s, "postgres-primary"), user: "app" };
  const drill = await restoreDrill(primary, join(s.stateDir, "backups", "drill.dump"));
  report.push(`restore drill: ${drill.tables} tables identical (${drill.bytes} bytes dump)`);

  const archived = await walArchived(primary);
  report.push(`WAL archiving: ${archived} segments archived, none failed`);

  // Last: it leaves the stack promoted (the old primary is dead).
  const promote = await promoteDrill(s, baseUrl);
  report.push(
    `promote drill: RPO ${promote.lost} of ${promote.acknowledged} acknowledged writes lost (${promote.rpoMs} ms), RTO ${promote.rtoMs} ms`,
  );
} catch (err) {
  failed = true;
  console.error(`deploy:test FAILED: ${err instanceof Error ? err.message : String(err)}`);
  compose(s, ["ps"], { allowFail: true });
  compose(s, ["logs", "--tail", "30"], { allowFail: true });
} finally {
  compose(s, ["down", "--remove-orphans", "--volumes", "--timeout", "40"], { allowFail: true });
  removeLeftovers(s, true);
}

if (!failed && (process.argv.includes("--swarm") || process.env.DEPLOY_TEST_SWARM === "1")) {
  const { swarmTest } = await import("./swarm.ts");
  const tSwarm = performance.now();
  try {
    await swarmTest();
    report.push(`swarm smoke ${secs(tSwarm)}`);
  } catch (err) {
    failed = true;
    console.error(`swarm smoke FAILED: ${err instanceof Error ? err.message : String(err)}`);
  }
}
await stopDockerd();
report.push(`total ${secs(t0)}`);
console.log(`\ndeploy:test ${failed ? "FAILED" : "passed"}\n  ${report.join("\n  ")}`);
process.exit(failed ? 1 : 0);
