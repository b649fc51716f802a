import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { testAmqpUrl, testRedisUrl } from "../../db/testing.ts";
import { createLogger } from "../../platform/logger.ts";
import { ORDER_EVENTS } from "./invariants.ts";
import { prepareLoad } from "./load.ts";
import { startReceiver } from "./receiver.ts";
import { runScenario, type ScenarioResult } from "./run-scenario.ts";
import { scenarios } from "./scenarios.ts";
import { startStack } from "./stack.ts";

/**
 * `bun run chaos [--short] [name…]`: starts the platform on its own ports
 * (embedded Postgres primary + replica, relays in front of the local Redis
 * and RabbitMQ, two app instances, workers, proxy), runs a mixed load through
 * the proxy and injects one fault at a time (see scenarios.ts). Each scenario
 * prints pass/fail and a report; the exit code is 1 when any failed.
 * `--short` (or CHAOS_SHORT=1) shortens the faults for CI.
 */
const args = process.argv.slice(2);
const short = args.includes("--short") || process.env.CHAOS_SHORT === "1";
const only = args.filter((a) => !a.startsWith("--"));
const logger = createLogger("warn", { service: "chaos" });
const redisUrl = await testRedisUrl();
const amqpUrl = await testAmqpUrl();
if (!redisUrl || !amqpUrl) {
  console.error("chaos needs Redis (REDIS_URL or 127.0.0.1:6379) and RabbitMQ (AMQP_URL or 127.0.0.1:5672)");
  process.exit(1);
}

const durations = short
  ? { redis: 5000, rabbit: 8000, slow: 5000 }
  : { redis: 10_000, rabbit: 30_000, slow: 20_000 };
const timing = short
  ? { beforeMs: 2000, afterMs: 2000, loadWorkers: 8 }
  : { beforeMs: 5000, afterMs: 5000, loadWorkers: 12 };
console.log(`chaos: starting the stack (${short ? "short" : "full"} run)…`);
const stack = await startStack({
  redisUrl,
  amqpUrl,
  pgPort: Number(process.env.CHAOS_PG_PORT ?? 24432),
  products: short ? 150 : 500,
  logger,
});
let stopping = false;
const teardown = async () => {
  if (stopping) return;
  stopping = true;
  await stack.teardown().catch((err) => console.error("teardown:", err));
};
process.on("SIGINT", () => void teardown().then(() => process.exit(130)));
process.on("SIGTERM", () => void teardown().then(() => process.exit(143)));

const results: ScenarioResult[] = [];
const receiver = startReceiver();
try {
  await stack.sql`insert into webhook_endpoints (url, events, secret) values (${receiver.url}, ${ORDER_EVENTS}, 'whsec_chaos')`;
  const fixture = await prepareLoad(stack.sql, stack.proxyUrl, timing.loadWorkers);
  const stock = await stack.sql<{ sku: string; quantity: number }[]>`
    select sku, quantity from inventory where sku = any(${fixture.skus})`;
  const initialStock = new Map(stock.map((r) => [r.sku, r.quantity]));
  console.log(`chaos: stack up (proxy ${stack.proxyUrl}, logs ${stack.logDir})`);
  for (const sc of scenarios.filter((s) => !only.length || only.some((o) => s.name.includes(o)))) {
    process.stdout.write(`\n== ${sc.name}\n`);
    const r = await runScenario(sc, { stack, receiver, durations }, { ...timing, initialStock, fixture });
    results.push(r);
    printResult(r);
  }
} finally {
  receiver.stop();
  await teardown();
}

function seconds(ms: number | null): string {
  return ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`;
}

function printResult(r: ScenarioResult): void {
  const unexpected = Object.entries(r.unexpectedErrors).map(([k, n]) => `${k} ×${n}`);
  console.log(`${r.pass ? "PASS" : "FAIL"}  ${r.name}`);
  console.log(
    `  requests ${r.requests}, p99 ${r.p99Ms} ms; client errors: ${r.allowedErrors} allowed, ${unexpected.length ? unexpected.join(", ") : "0 unexpected"}`,
  );
  for (const u of r.unexpectedAt)
    console.log(
      `  unexpected: ${u.request}, sent ${u.startMs} ms after the fault began, answered at ${u.endMs} ms`,
    );
  console.log(`  /health during the fault: ${r.healthDuring.join(" | ") || "-"}`);
  console.log(
    `  fault lasted ${seconds(r.faultMs)}; recovery after it: ${r.recoveryMs === null ? "not recovered" : seconds(r.recoveryMs)}`,
  );
  for (const c of r.checks) console.log(`  ${c.pass ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  if (r.error) console.log(`  error: ${r.error}`);
}

console.log(
  "\n| scenario | requests | client errors | /health during the fault | fault lasted | recovery | invariants | result |",
);
console.log("| --- | ---: | --- | --- | ---: | ---: | --- | --- |");
for (const r of results) {
  const errors = [
    `${r.allowedErrors} allowed`,
    ...Object.entries(r.unexpectedErrors).map(([k, n]) => `${k} ×${n}`),
  ].join(", ");
  const inv = r.checks.every((c) => c.pass)
    ? `all ${r.checks.length} hold`
    : r.checks
        .filter((c) => !c.pass)
        .map((c) => c.name)
        .join("; ");
  const shown = r.healthDuring
    .map((h) => h.split(" ")[0])
    .filter((s, i, a) => a.indexOf(s) === i)
    .join(", ");
  console.log(
    `| ${r.name} | ${r.requests} | ${errors} | ${shown}${r.healthShowedFault ? " (fault shown)" : ""} | ${seconds(r.faultMs)} | ${seconds(r.recoveryMs)} | ${inv} | ${r.pass ? "pass" : "FAIL"} |`,
  );
}
await writeFile(join(stack.logDir, "report.json"), JSON.stringify(results, null, 2));
const failed = results.filter((r) => !r.pass).length;
console.log(
  `\nchaos: ${results.length - failed}/${results.length} scenarios passed (report: ${join(stack.logDir, "report.json")})`,
);
process.exit(failed || !results.length ? 1 : 0);
