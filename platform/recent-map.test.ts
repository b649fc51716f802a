import { expect, test } from "bun:test";
import { mulberry32 } from "./prng.ts";
import { RecentMap } from "./recent-map.ts";

test("holds at most its capacity and every key used within the last half-capacity insertions", () => {
  const map = new RecentMap<number, string>(100);
  const random = mulberry32(11);
  const used: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const key = Math.floor(random() * 1000);
    if (map.get(key) === undefined) map.set(key, `v${key}`);
    used.push(key);
    expect(map.size).toBeLessThanOrEqual(100);
  }
  for (const key of new Set(used.slice(-50))) expect(map.get(key)).toBe(`v${key}`);
});

test("a key read from the old generation survives the next swap; one not read is dropped", () => {
  const map = new RecentMap<string, number>(4);
  map.set("a", 1);
  map.set("b", 2); // young full (2): becomes old
  expect(map.get("a")).toBe(1); // back to young
  map.set("c", 3); // young {a, c} full: old {b} dropped
  expect(map.get("b")).toBeUndefined();
  expect(map.get("a")).toBe(1);
  expect(map.get("c")).toBe(3);
});

test("set replaces, delete and clear remove from both generations, keys lists each once", () => {
  const map = new RecentMap<string, number>(4);
  map.set("a", 1);
  map.set("b", 2);
  map.set("a", 10);
  expect(map.get("a")).toBe(10);
  expect([...map.keys()].sort()).toEqual(["a", "b"]);
  map.delete("b");
  expect(map.get("b")).toBeUndefined();
  expect(map.size).toBe(1);
  map.clear();
  expect(map.size).toBe(0);
});
