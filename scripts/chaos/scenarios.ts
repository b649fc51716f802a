import postgres from "postgres";
import type { Sample } from "./load.ts";
import type { WebhookReceiver } from "./receiver.ts";
import type { Stack } from "./stack.ts";

/** The window in which the fault was active (ms since epoch). */
export interface FaultWindow {
  start: number;
  end: number;
}

export interface ScenarioContext {
  stack: Stack;
  receiver: WebhookReceiver;
  /** Fault durations in ms (shortened by --short). */
  durations: { redis: number; rabbit: number; slow: number };
}

/** One injected fault, what clients may see during it and what /health must show. */
export interface Scenario {
  name: string;
  /** The documented client-visible behaviour during this fault. */
  allowedErrors: string;
  /** True for a failed request the documented behaviour allows. */
  allows(sample: Sample, fault: FaultWindow): boolean;
  /** Raw repeats of an effect allowed (deliveries in flight at a crash). */
  maxRepeats: number;
  /** A /health body seen during the fault that shows it, when /health must. */
  healthShows?(body: HealthBody): boolean;
  /** Injects the fault and resolves when it is over. */
  inject(ctx: ScenarioContext): Promise<FaultWindow>;
}

/** The parts of `/health` the scenarios look at. */
export interface HealthBody {
  status?: string;
  checks?: {
    redis?: { status?: string };
    queue?: { status?: string };
    replicas?: { status?: string }[];
  };
}

async function until(what: string, ms: number, cond: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await Promise.resolve(cond()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${ms} ms`);
    await Bun.sleep(50);
  }
}

const answers = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
const none = () => false;

/** The six faults of issue 10, one at a time. */
export const scenarios: Scenario[] = [
  {
    name: "kill -9 one app instance",
    allowedErrors:
      "502 for a POST in flight on the killed instance or written to it before the proxy noticed (≤ 1 s): the proxy never replays a POST that reached an upstream",
    allows: (s, f) =>
      s.method === "POST" && s.status === 502 && s.endedAt >= f.start && s.startedAt <= f.start + 1000,
    maxRepeats: 0,
    async inject({ stack }) {
      const start = Date.now();
      stack.procs.kill("app-0", "SIGKILL");
      await Bun.sleep(300);
      await until("app-0 back", 30_000, () => answers(`http://127.0.0.1:${stack.ports.apps[0]}/readyz`));
      return { start, end: Date.now() };
    },
  },
  {
    name: "Redis unreachable",
    allowedErrors: "none (cache, rate limits and write fence fall back)",
    allows: none,
    maxRepeats: 0,
    healthShows: (h) => h.checks?.redis?.status === "down",
    async inject({ stack, durations }) {
      const start = Date.now();
      stack.relays.redis.cut();
      await Bun.sleep(durations.redis);
      stack.relays.redis.restore();
      return { start, end: Date.now() };
    },
  },
  {
    name: "RabbitMQ unreachable",
    allowedErrors: "none (events wait in the outbox)",
    allows: none,
    maxRepeats: 0,
    healthShows: (h) => h.checks?.queue?.status === "down",
    async inject({ stack, durations }) {
      const start = Date.now();
      stack.relays.amqp.cut();
      await Bun.sleep(durations.rabbit);
      stack.relays.amqp.restore();
      return { start, end: Date.now() };
    },
  },
  {
    name: "replica killed, then back",
    allowedErrors: "none (reads retried on the primary)",
    allows: none,
    maxRepeats: 0,
    // Down while the checks fail, or lagging once it is back and replaying: either way /health
    // reports the replica as not serving. (A check can also wait out the ~0.8 s the embedded
    // replica is away and find it lagging, never down: seen in CI.)
    healthShows: (h) => (h.checks?.replicas ?? []).some((r) => r.status !== "up"),
    async inject({ stack }) {
      const pid = stack.cluster.replicaPid();
      if (!pid) throw new Error("no replica running");
      const start = Date.now();
      process.kill(pid, "SIGKILL");
      await until("replica restarted", 60_000, () => {
        const now = stack.cluster.replicaPid();
        return now !== null && now !== pid;
      });
      // Back means answering queries again, not just a new process.
      await until("replica answering", 60_000, async () => {
        const sql = postgres(stack.cluster.replicaUrls[0]!, {
          max: 1,
          connect_timeout: 1,
          onnotice: () => {},
        });
        try {
          await sql`select 1`;
          return true;
        } finally {
          await sql.end({ timeout: 0 });
        }
      });
      return { start, end: Date.now() };
    },
  },
  {
    name: "workers SIGKILLed mid-batch",
    allowedErrors: "none (clients never wait on the workers)",
    allows: none,
    // At-least-once delivery: what was in flight at the kill (up to one prefetch window, 16) may go out again.
    maxRepeats: 16,
    async inject({ stack, receiver }) {
      receiver.setDelay(20); // deliveries take a while, so the kill lands inside a batch
      try {
        await until("a webhook delivery in flight", 20_000, () => receiver.inFlight() > 0);
        const start = Date.now();
        stack.procs.kill("workers", "SIGKILL");
        await Bun.sleep(300);
        await until("workers back", 30_000, () => answers(`http://127.0.0.1:${stack.ports.workers}/healthz`));
        return { start, end: Date.now() };
      } finally {
        receiver.setDelay(0);
      }
    },
  },
  {
    name: "one app instance slow (2 s)",
    allowedErrors: "none (slower answers; the proxy's checks take the slow instance out)",
    allows: none,
    maxRepeats: 0,
    async inject({ stack, durations }) {
      const start = Date.now();
      stack.relays.slowApp.delay(2000);
      await Bun.sleep(durations.slow);
      stack.relays.slowApp.delay(0);
      return { start, end: Date.now() };
    },
  },
];
