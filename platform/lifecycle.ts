import type { Logger } from "./logger.ts";

/**
 * Exits when the supervising parent is gone. Bun does not kill children when
 * their parent is SIGKILLed, so every supervised process polls its parent pid.
 */
export function exitWithParent(onOrphaned: () => void, intervalMs = 500): void {
  const expected = Number(process.env.SUPERVISOR_PID ?? 0);
  if (!expected) return;
  const timer = setInterval(() => {
    if (process.ppid !== expected) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
}

/**
 * Runs `drain` once on SIGTERM/SIGINT (or when orphaned), then exits; a second
 * signal or the timeout forces the exit.
 */
export function handleShutdown(drain: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      logger.warn("forced exit", { reason });
      process.exit(1);
    }
    stopping = true;
    logger.info("shutting down", { reason });
    const timer = setTimeout(() => {
      logger.warn("drain timed out; exiting");
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    drain()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error("error while draining", { err });
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  exitWithParent(() => stop("parent exited"));
}
