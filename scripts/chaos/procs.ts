import type { Subprocess } from "bun";

/** One supervised child of the chaos stack. */
export interface ProcSpec {
  name: string;
  cmd: string[];
  env: Record<string, string>;
}

interface Running {
  spec: ProcSpec;
  proc: Subprocess | null;
  incarnation: number;
  timer: Timer | null;
}

/**
 * The chaos runner's own supervisor: like `bun run dev`'s (restart after an
 * unexpected exit, 250 ms later), but each incarnation writes its output to
 * its own file under `logDir` (the email log lines are counted from there),
 * and any child can be killed by name.
 */
export class Processes {
  private readonly children = new Map<string, Running>();
  private stopping = false;

  constructor(private readonly logDir: string) {}

  start(spec: ProcSpec): void {
    const entry: Running = { spec, proc: null, incarnation: 0, timer: null };
    this.children.set(spec.name, entry);
    this.spawn(entry);
  }

  /** Standard-output files of every incarnation of `name` (stderr goes to `….err.log`). */
  logFiles(name: string): string[] {
    const n = this.children.get(name)?.incarnation ?? 0;
    return Array.from({ length: n }, (_, i) => `${this.logDir}/${name}.${i + 1}.log`);
  }

  pid(name: string): number | null {
    return this.children.get(name)?.proc?.pid ?? null;
  }

  /** Sends `signal` to the child; it is restarted like after a crash. */
  kill(name: string, signal: NodeJS.Signals = "SIGKILL"): number | null {
    const proc = this.children.get(name)?.proc;
    proc?.kill(signal);
    return proc?.pid ?? null;
  }

  private spawn(entry: Running): void {
    entry.incarnation++;
    const base = `${this.logDir}/${entry.spec.name}.${entry.incarnation}`;
    entry.proc = Bun.spawn(entry.spec.cmd, {
      env: { ...process.env, ...entry.spec.env, SUPERVISOR_PID: String(process.pid) },
      stdio: ["ignore", Bun.file(`${base}.log`), Bun.file(`${base}.err.log`)],
      onExit: () => {
        entry.proc = null;
        if (this.stopping) return;
        entry.timer = setTimeout(() => {
          entry.timer = null;
          if (!this.stopping) this.spawn(entry);
        }, 250);
      },
    });
  }

  /** SIGTERM to every child, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children.values()].map(async (entry) => {
        if (entry.timer) clearTimeout(entry.timer);
        const proc = entry.proc;
        if (!proc) return;
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
        await proc.exited;
        clearTimeout(timer);
      }),
    );
  }
}
