import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reachableBy, reachableDataRoot } from "./embedded-access.ts";

const base = mkdtempSync(join(tmpdir(), "reach-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
// An unprivileged user that owns none of these folders (the ids are what matters, not the account).
const other = { uid: 54_321, gid: 54_321 };

test("a folder behind one that only its owner may enter is out of reach", () => {
  const closed = join(base, "closed");
  mkdirSync(join(closed, "data"), { recursive: true });
  chmodSync(base, 0o755);
  chmodSync(closed, 0o700);
  expect(reachableBy(join(closed, "data"), other)).toBe(false);
  chmodSync(closed, 0o711);
  expect(reachableBy(join(closed, "data"), other)).toBe(true);
});

test("running as ourselves (no uid to switch to) everything is reachable", () => {
  expect(reachableBy("/root", {})).toBe(true);
});

test("an unreachable data folder maps to the same folder under /var/tmp for every process of the checkout", () => {
  const closed = join(base, "closed2");
  mkdirSync(closed, { mode: 0o700 });
  chmodSync(closed, 0o700);
  const moved: string[] = [];
  const a = reachableDataRoot(join(closed, ".data"), other, (d) => moved.push(d));
  const b = reachableDataRoot(join(closed, ".data"), other);
  expect(a).toBe(b);
  expect(a.startsWith("/var/tmp/commerce-pg-data-")).toBe(true);
  expect(moved).toEqual([a]);
  rmSync(a, { recursive: true, force: true });
  expect(reachableDataRoot(base, other)).toBe(base);
});
