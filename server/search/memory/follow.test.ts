import { describe, expect, test } from "bun:test";
import { LogFollower } from "./follow.ts";

/** A log whose entries become visible (commit) in any order. */
function log() {
  const committed = new Set<number>();
  const read = async (after: number, limit: number) =>
    [...committed]
      .filter((s) => s > after)
      .sort((a, b) => a - b)
      .slice(0, limit)
      .map((seq) => ({ seq }));
  return { committed, read };
}

describe("LogFollower", () => {
  test("each entry once, including one that commits after a higher number was read", async () => {
    const l = log();
    const f = new LogFollower(l.read, 0, []);
    l.committed.add(1);
    l.committed.add(3);
    expect((await f.next(0)).map((e) => e.seq)).toEqual([1, 3]);
    expect(await f.next(10)).toEqual([]);
    l.committed.add(2); // its transaction took the number first and committed last
    expect((await f.next(20)).map((e) => e.seq)).toEqual([2]);
    expect(f.pending).toBe(0);
  });

  test("a hole that never fills (rollback) is given up after the wait, and reading goes on", async () => {
    const l = log();
    const f = new LogFollower(l.read, 0, []);
    l.committed.add(1);
    l.committed.add(3);
    await f.next(0);
    expect(f.pending).toBe(1);
    await f.next(20_000);
    expect(f.pending).toBe(0);
    l.committed.add(4);
    expect((await f.next(20_001)).map((e) => e.seq)).toEqual([4]);
  });

  test("entries already in the snapshot are not delivered again", async () => {
    const l = log();
    for (const s of [5, 6, 8]) l.committed.add(s);
    const f = new LogFollower(l.read, 4, [5, 6, 8]);
    expect(await f.next(0)).toEqual([]);
    l.committed.add(7);
    expect((await f.next(1)).map((e) => e.seq)).toEqual([7]);
  });
});
