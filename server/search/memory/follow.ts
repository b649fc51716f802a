/** An entry of a sequence-numbered log. */
export interface Sequenced {
  seq: number;
}

/** Rows read per poll. */
const BATCH = 2000;
/**
 * How long a hole in the sequence is waited for. Sequence numbers are taken
 * at insert, so a transaction that inserted earlier can commit later; a hole
 * older than this belongs to a rolled-back transaction (identity values are
 * not given back) and is skipped.
 */
const HOLE_WAIT_MS = 10_000;

/**
 * Reads a sequence-numbered log (the products change log) in order, exactly
 * once per entry, tolerating out-of-order commits: `floor` is the highest number below which every
 * event was seen (or given up on as rolled back); numbers above it that were
 * seen are remembered until the floor passes them.
 */
export class LogFollower<T extends Sequenced> {
  /** Sequence number above the floor → when it was first read. */
  private seen = new Map<number, number>();

  constructor(
    /** Entries after a sequence number, oldest first, at most `limit`. */
    private readonly readAfter: (seq: number, limit: number) => Promise<T[]>,
    private floor: number,
    seenAbove: number[],
  ) {
    const now = Date.now();
    for (const s of seenAbove) if (s > floor) this.seen.set(s, now);
    this.advance(now);
  }

  /**
   * Events committed since the last call (none twice). Reads on while full
   * batches move the floor; behind a hole, at most one batch above it is
   * read until the hole fills or is given up.
   */
  async next(now = Date.now()): Promise<T[]> {
    const fresh: T[] = [];
    for (;;) {
      const rows = await this.readAfter(this.floor, BATCH);
      for (const r of rows) {
        if (this.seen.has(r.seq)) continue;
        this.seen.set(r.seq, now);
        fresh.push(r);
      }
      const before = this.floor;
      this.advance(now);
      if (rows.length < BATCH || this.floor === before) return fresh;
    }
  }

  /**
   * Moves the floor over seen numbers; a hole below the lowest seen number
   * is skipped once that number has been known for HOLE_WAIT_MS (the hole has
   * been open at least that long).
   */
  private advance(now: number): void {
    for (;;) {
      const next = this.floor + 1;
      if (this.seen.delete(next)) {
        this.floor = next;
        continue;
      }
      if (this.seen.size === 0) return;
      const lowest = Math.min(...this.seen.keys());
      if (now - this.seen.get(lowest)! < HOLE_WAIT_MS) return;
      this.floor = lowest - 1;
    }
  }

  /** Sequence numbers seen above the floor (tests). */
  get pending(): number {
    return this.seen.size;
  }
}
