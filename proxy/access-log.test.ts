import { expect, test } from "bun:test";
import { AccessLog } from "./access-log.ts";

/** Access-log batching: one write per flush, or whole-line writes of at most `maxWriteBytes` (workers). */

const entry = (i: number) => ({
  method: "GET",
  path: `/p/${"x".repeat(100)}/${i}`,
  status: 200,
  ms: 1,
  bytes: 10,
  ip: "203.0.113.7",
  upstream: "a",
  requestId: String(i),
});

test("one write per flush by default; whole lines within the limit when set", () => {
  const writes: string[] = [];
  const log = new AccessLog(true, (t) => writes.push(t));
  for (let i = 0; i < 100; i++) log.log(entry(i));
  log.flush();
  expect(writes.length).toBe(1);
  expect(writes[0]!.trim().split("\n")).toHaveLength(100);

  writes.length = 0;
  log.maxWriteBytes = 4096;
  for (let i = 0; i < 100; i++) log.log(entry(i));
  log.flush();
  expect(writes.length).toBeGreaterThan(1);
  for (const w of writes) {
    expect(Buffer.byteLength(w)).toBeLessThanOrEqual(4096);
    expect(w.endsWith("\n")).toBe(true);
    for (const line of w.trim().split("\n")) expect(JSON.parse(line).msg).toBe("access");
  }
  expect(writes.join("").trim().split("\n")).toHaveLength(100);
});
