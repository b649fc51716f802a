import type { Subprocess } from "bun";
import type { Logger } from "./logger.ts";

export interface ChildSpec {
  name: string;
  cmd: string[];
  env: Record<string, string | undefined>;
  /** messages the child sends with `process.send` (JSON); without it the child gets no IPC channel */
  onMessage?: (message: unknown) => void;
}

interface Running {
  spec: ChildSpec;
  proc: Subprocess | null;
  restarts: number;
  /** restarts since start, never reset */
  total: number;
  startedAt: number;
  timer: Timer | null;
}

/**
 * Keeps child processes running: restarts one that exits unexpectedly with
 * exponential backoff (reset after it stays up for 30 s), and stops them all
 * with SIGTERM (then SIGKILL after a grace period) on `stop()`.
 * Children get SUPERVISOR_PID so they exit by themselves if we die.
 */
export class Supervisor {
  private readonly children = new Map<string, Running>();
  private stopping = false;

  constructor(
    private readonly logger: Logger,
    private readonly opts: {
      minBackoffMs?: number;
      maxBackoffMs?: number;
      stdio?: "inherit" | "ignore";
    } = {},
  ) {}

  start(spec: ChildSpec): void {
    const entry: Running = { spec, proc: null, restarts: 0, total: 0, startedAt: 0, timer: null };
    this.children.set(spec.name, entry);
    this.spawn(entry);
  }

  /** Pids by child name (tests kill one to watch it come back). */
  pids(): Record<string, number | null> {
    return Object.fromEntries([...this.children].map(([n, r]) => [n, r.proc?.pid ?? null]));
  }

  private spawn(entry: Running): void {
    const stdio = this.opts.stdio ?? "inherit";
    entry.startedAt = Date.now();
    entry.proc = Bun.spawn(entry.spec.cmd, {
      env: { ...process.env, ...entry.spec.env, SUPERVISOR_PID: String(process.pid) },
      stdio: ["ignore", stdio, stdio],
      onExit: (_p, code, signal) => this.onExit(entry, code, signal),
      ...(entry.spec.onMessage
        ? { ipc: (message: unknown) => entry.spec.onMessage?.(message), serialization: "json" as const }
        : {}),
    });
    this.logger.info("child started", { child: entry.spec.name, pid: entry.proc.pid });
  }

  private onExit(entry: Running, code: number | null, signal: number | string | null): void {
    entry.proc = null;
    if (this.stopping) return;
    if (Date.now() - entry.startedAt > 30_000) entry.restarts = 0;
    const min = this.opts.minBackoffMs ?? 250;
    const delay = Math.min(min * 2 ** entry.restarts, this.opts.maxBackoffMs ?? 10_000);
    entry.restarts++;
    entry.total++;
    this.logger.warn("child exited; restarting", { child: entry.spec.name, code, signal, delay_ms: delay });
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (!this.stopping) this.spawn(entry);
    }, delay);
  }

  /** Restarts since start per child name. */
  restarts(): Record<string, number> {
    return Object.fromEntries([...this.children].map(([n, r]) => [n, r.total]));
  }

  /** Sends `sig` to every running child (e.g. SIGHUP: reload). */
  signal(sig: NodeJS.Signals): void {
    for (const entry of this.children.values()) entry.proc?.kill(sig);
  }

  /** SIGTERM to every child, SIGKILL to those still running after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    const waits: Promise<unknown>[] = [];
    for (const entry of this.children.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      const proc = entry.proc;
      if (!proc) continue;
      proc.kill("SIGTERM");
      waits.push(
        Promise.race([proc.exited, Bun.sleep(graceMs).then(() => proc.kill("SIGKILL"))]).then(
          () => proc.exited,
        ),
      );
    }
    await Promise.all(waits);
  }
}
