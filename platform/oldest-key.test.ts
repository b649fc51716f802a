import { expect, test } from "bun:test";
import { OldestKey } from "./oldest-key.ts";

test("OldestKey evicts first in, first out across deletes, re-sets and clears", () => {
  const map = new Map<number, string>();
  const oldest = new OldestKey(map);
  oldest.evict(); // empty: nothing happens
  for (let i = 0; i < 6; i++) map.set(i, `v${i}`);
  oldest.evict();
  map.delete(3);
  map.set(1, "again"); // an existing key keeps its place
  map.delete(2);
  map.set(2, "back"); // deleted and set again: now the newest
  oldest.evict();
  expect([...map.keys()]).toEqual([4, 5, 2]);
  map.clear();
  map.set(7, "a").set(8, "b");
  oldest.evict();
  expect([...map.keys()]).toEqual([8]);
  oldest.evict();
  oldest.evict();
  map.set(9, "c");
  oldest.evict();
  expect(map.size).toBe(0);
});
