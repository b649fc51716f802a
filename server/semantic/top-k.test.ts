import { expect, test } from "bun:test";
import { TopK } from "./top-k.ts";

test("keeps the k largest scores, best first, ties by row; floor is the k-th once full", () => {
  const top = new TopK(3);
  expect(top.floor()).toBe(Number.NEGATIVE_INFINITY);
  const scores = [0.1, 0.9, 0.5, 0.9, 0.3, 0.7, 0.2];
  for (const [row, s] of scores.entries()) top.offer(row, s);
  expect(top.sorted()).toEqual([
    { row: 1, score: 0.9 },
    { row: 3, score: 0.9 },
    { row: 5, score: 0.7 },
  ]);
  expect(top.floor()).toBe(0.7);
  const none = new TopK(0);
  none.offer(1, 1);
  expect(none.sorted()).toEqual([]);
});
