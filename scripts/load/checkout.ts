/**
 * Checkout benchmark: 50 concurrent buyers, each in a loop of "add one item
 * to my cart, check out" against real Postgres. Reports orders/s and checkout
 * latency percentiles for two stock layouts: orders spread over 20 SKUs, and
 * every buyer on one hot SKU (all reservations queue on one inventory row).
 *
 *   bun scripts/load/checkout.ts [--buyers 50] [--seconds 10] [--processes 0] [--fraud on|off|both] [--rounds 3] [--write]
 *
 * --fraud both sets up two apps (scoring off and on, each on a fresh database),
 * alternates their runs over 3 rounds and prints the throughput ratio: the
 * cost of scoring.
 * --processes 0 runs the app in this process (app.request, no sockets);
 * N > 0 starts N real app processes (`bun server/main.ts`) and spreads buyers
 * over them. --write puts the table into docs/orders.md.
 */
import { parseArgs } from "node:util";
import type { Subprocess } from "bun";
import { createTestDatabase } from "../../db/testing.ts";
import { checkoutBody, createSkus, createUsers, type TestUser } from "../../server/testing/fixtures.ts";
import { createTestApp } from "../../server/testing/harness.ts";

const { values } = parseArgs({
  options: {
    buyers: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    processes: { type: "string", default: "0" },
    write: { type: "boolean", default: false },
    fraud: { type: "string", default: "on" },
    rounds: { type: "string", default: "3" },
  },
});
const FRAUD_MODES = values.fraud === "both" ? [false, true] : [values.fraud !== "off"];
/** Rounds of alternating off/on runs with --fraud both (each SECONDS long per scenario and mode). */
const ROUNDS = Number(values.rounds);
const BUYERS = Number(values.buyers);
const SECONDS = Number(values.seconds);
const PROCESSES = Number(values.processes);

type Send = (
  path: string,
  init: { method?: string; token: string; key?: string; json?: unknown },
) => Promise<number>;

interface Result {
  scenario: string;
  orders: number;
  conflicts: number;
  errors: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Every checkout latency (ms), for merging rounds. */
  latencies: number[];
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runScenario(name: string, send: Send, buyers: TestUser[], skus: string[]): Promise<Result> {
  const latencies: number[] = [];
  const run = `${name.replace(/\W+/g, "-")}-${crypto.randomUUID().slice(0, 8)}`;
  let orders = 0;
  let conflicts = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    buyers.map(async (buyer, b) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const sku = skus[(b + i) % skus.length]!;
        const added = await send("/api/cart/items", {
          method: "POST",
          token: buyer.token,
          json: { sku, quantity: 1 },
        });
        if (added !== 201 && added !== 200) {
          errors++;
          continue;
        }
        const t0 = performance.now();
        const status = await send("/api/checkout", {
          method: "POST",
          token: buyer.token,
          // Unique per run: rounds repeat scenario names, and a reused key would replay.
          key: `${run}-${b}-${i}`,
          // One card per buyer, as real traffic: a token shared by every buyer is itself a fraud signal.
          json: checkoutBody(`tok_ok_${b}`),
        });
        latencies.push(performance.now() - t0);
        if (status === 201) orders++;
        else if (status === 409) conflicts++;
        else {
          errors++;
          if (process.env.BENCH_DEBUG) console.error(status);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    scenario: name,
    orders,
    conflicts,
    errors,
    seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    latencies,
  };
}

async function startProcesses(
  url: string,
  n: number,
  fraud: boolean,
): Promise<{ bases: string[]; procs: Subprocess[] }> {
  const procs: Subprocess[] = [];
  const bases: string[] = [];
  for (let i = 0; i < n; i++) {
    const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
    const port = probe.port!;
    probe.stop(true);
    const proc = Bun.spawn(["bun", "server/main.ts"], {
      cwd: new URL("../../", import.meta.url).pathname,
      env: {
        ...process.env,
        NODE_ENV: "test",
        LOG_LEVEL: "error",
        PORT: String(port),
        DATABASE_URL: url,
        DATABASE_POOL_MAX: "20",
        FRAUD_SCORING: fraud ? "on" : "off",
      },
      stdout: "ignore",
      stderr: "inherit",
    });
    procs.push(proc);
    const base = `http://127.0.0.1:${port}`;
    for (let tries = 0; ; tries++) {
      if (
        await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (tries > 200) throw new Error("app process did not start");
      await Bun.sleep(100);
    }
    bases.push(base);
  }
  return { bases, procs };
}

/** A prepared app and buyers; `run` runs one scenario on them. */
interface Bench {
  run(name: string, hot: boolean): Promise<Result>;
  cleanup(): Promise<void>;
}

/** Sets up an app (in-process or processes) on a fresh database with fraud scoring on or off. */
async function setup(fraud: boolean): Promise<Bench> {
  let send: Send;
  let cleanup: () => Promise<void>;
  let sql: Parameters<typeof createUsers>[0];
  if (PROCESSES > 0) {
    const database = await createTestDatabase("bench");
    const { bases, procs } = await startProcesses(database.url, PROCESSES, fraud);
    let rr = 0;
    send = async (path, init) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${init.token}`,
        "content-type": "application/json",
      };
      if (init.key) headers["idempotency-key"] = init.key;
      const res = await fetch(`${bases[rr++ % bases.length]}${path}`, {
        method: init.method ?? "GET",
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
      await res.arrayBuffer();
      return res.status;
    };
    sql = database.sql;
    cleanup = async () => {
      for (const p of procs) p.kill("SIGTERM");
      await Promise.all(procs.map((p) => p.exited));
      await database.drop();
    };
  } else {
    const t = await createTestApp({ env: { DATABASE_POOL_MAX: "20", FRAUD_SCORING: fraud ? "on" : "off" } });
    send = async (path, init) => {
      const res = await t.request(path, init);
      await res.arrayBuffer();
      return res.status;
    };
    sql = t.sql;
    cleanup = async () => {
      // Scorings that timed out under load went through under the failure policy: say how many.
      const failed = t.deps.metrics
        .render()
        .split("\n")
        .filter((l) => l.startsWith("fraud_scoring_failures_total{"))
        .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
      if (fraud) console.log(`fraud scorings that failed or timed out (policy applied): ${failed}`);
      await t.close();
    };
  }
  const buyers = await createUsers(sql, BUYERS);
  const spread = Array.from({ length: 20 }, (_, i) => `BENCH-${String(i).padStart(2, "0")}`);
  await createSkus(
    sql,
    [...spread, "BENCH-HOT"].map((sku) => ({ sku, price: 1000, stock: 10_000_000 })),
  );
  // Warm-up: connections, JIT, catalog lookups.
  await runScenario("warmup", send, buyers.slice(0, 10), spread).catch(() => undefined);
  return { run: (name, hot) => runScenario(name, send, buyers, hot ? ["BENCH-HOT"] : spread), cleanup };
}

/** Adds a round's result into a running total. */
function merge(total: Result | undefined, r: Result): Result {
  if (!total) return r;
  const latencies = [...total.latencies, ...r.latencies].sort((a, b) => a - b);
  return {
    ...total,
    orders: total.orders + r.orders,
    conflicts: total.conflicts + r.conflicts,
    errors: total.errors + r.errors,
    seconds: total.seconds + r.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    latencies,
  };
}

/**
 * Runs every scenario per fraud mode. With both modes the two apps are up at
 * once and the scenarios alternate off/on (ABBA) for ROUNDS rounds, so load
 * from anything else on the host falls on both sides alike.
 */
async function main(): Promise<void> {
  const ms = (v: number) => v.toFixed(1);
  const benches: Bench[] = [];
  for (const fraud of FRAUD_MODES) benches.push(await setup(fraud));
  const rounds = FRAUD_MODES.length > 1 ? ROUNDS : 1;
  const runs: Result[][] = FRAUD_MODES.map(() => []);
  try {
    for (let r = 0; r < rounds; r++)
      for (const [k, hot] of [false, true].entries()) {
        const order = FRAUD_MODES.map((_, i) => i);
        if ((r + k) % 2) order.reverse();
        for (const i of order) {
          const label = FRAUD_MODES.length > 1 ? `, fraud scoring ${FRAUD_MODES[i] ? "on" : "off"}` : "";
          const res = await benches[i]!.run(`${hot ? "one hot SKU" : "spread over 20 SKUs"}${label}`, hot);
          runs[i]![k] = merge(runs[i]![k], res);
        }
      }
  } finally {
    for (const b of benches) await b.cleanup();
  }
  const results = runs.flat();
  const mode = PROCESSES > 0 ? `${PROCESSES} app process(es) over HTTP` : "in-process app (app.request)";
  const header = `${BUYERS} concurrent buyers, ${SECONDS} s per scenario${rounds > 1 ? ` × ${rounds} alternating rounds` : ""}, ${mode}, pool 20, Bun ${Bun.version}, ${new Date().toISOString().slice(0, 10)}`;
  const table = [
    `Run: ${header}.`,
    "",
    "| scenario | orders | orders/s | checkout p50 ms | p95 ms | p99 ms | max ms | 409s | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.orders} | ${(r.orders / r.seconds).toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.conflicts} | ${r.errors} |`,
    ),
  ].join("\n");
  console.log(table);
  if (runs.length === 2) {
    const rate = (r: Result) => r.orders / r.seconds;
    for (let i = 0; i < runs[0]!.length; i++)
      console.log(
        `fraud scoring on/off throughput, ${runs[0]![i]!.scenario.split(",")[0]}: ${((100 * rate(runs[1]![i]!)) / rate(runs[0]![i]!)).toFixed(1)}%`,
      );
  }
  if (values.write) await writeResults(table, PROCESSES > 0 ? "http" : "inproc");
}

/** Replaces the block between this mode's markers in docs/orders.md. */
async function writeResults(table: string, mode: string): Promise<void> {
  const path = new URL("../../docs/orders.md", import.meta.url).pathname;
  const doc = await Bun.file(path).text();
  const start = `<!-- bench:checkout:${mode}:start -->`;
  const end = `<!-- bench:checkout:${mode}:end -->`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/orders.md has no ${start} … ${end} block`);
  await Bun.write(path, `${doc.slice(0, a + start.length)}\n${table}\n${doc.slice(b)}`);
}

await main();
