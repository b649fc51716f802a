import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Per-request read-consistency state. A request that commits a write raises
 * `minLsn`; every later read in the same request (and, through the session
 * store, the same client's next requests) must come from a server that has
 * replayed at least that far.
 */
export interface ConsistencyContext {
  minLsn: bigint | null;
  /** Set when the route must read from the primary (checkout, payment, confirmation). */
  critical: boolean;
  wrote: boolean;
}

const storage = new AsyncLocalStorage<ConsistencyContext>();

/** Runs `fn` with a fresh consistency context. */
export function withConsistency<T>(initial: Partial<ConsistencyContext>, fn: () => T): T {
  return storage.run(
    { minLsn: initial.minLsn ?? null, critical: initial.critical ?? false, wrote: false },
    fn,
  );
}

/** The current request's context, if any. */
export function currentConsistency(): ConsistencyContext | undefined {
  return storage.getStore();
}

/** Records that the current request committed a write at `lsn`. */
export function noteCommit(lsn: bigint | null): void {
  const ctx = storage.getStore();
  if (!ctx) return;
  ctx.wrote = true;
  if (lsn !== null && (ctx.minLsn === null || lsn > ctx.minLsn)) ctx.minLsn = lsn;
}

/** Marks the current request as critical: all its reads go to the primary. */
export function demandPrimary(): void {
  const ctx = storage.getStore();
  if (ctx) ctx.critical = true;
}

/** Raises the current request's read floor to `lsn` (a write the caller made in an earlier request). */
export function requireAtLeast(lsn: bigint): void {
  const ctx = storage.getStore();
  if (ctx && (ctx.minLsn === null || lsn > ctx.minLsn)) ctx.minLsn = lsn;
}
