import { expect, test } from "bun:test";
import { TtlCache } from "./ttl-cache.ts";

test("reuses a value within its TTL, reloads after forget, and stays within its bound", async () => {
  const cache = new TtlCache<number>(60_000, 2);
  let loads = 0;
  const load = async () => ++loads;
  expect(await cache.get("a", load)).toBe(1);
  expect(await cache.get("a", load)).toBe(1);
  cache.forget("a");
  expect(await cache.get("a", load)).toBe(2);
  await cache.get("b", load);
  await cache.get("c", load); // evicts "a", the oldest
  expect(await cache.get("a", load)).toBe(5);
});

test("a TTL of 0 disables caching", async () => {
  const cache = new TtlCache<number>(0);
  let loads = 0;
  await cache.get("a", async () => ++loads);
  await cache.get("a", async () => ++loads);
  expect(loads).toBe(2);
});

test("concurrent misses of one key share one load; a failed load is not kept", async () => {
  const seen: string[] = [];
  const cache = new TtlCache<number>(60_000, 10, (r) => seen.push(r));
  let loads = 0;
  const slow = () => Bun.sleep(20).then(() => ++loads);
  const got = await Promise.all([cache.get("k", slow), cache.get("k", slow), cache.get("k", slow)]);
  expect(got).toEqual([1, 1, 1]);
  expect(loads).toBe(1);
  await cache.get("k", slow);
  expect(seen).toEqual(["miss", "coalesced", "coalesced", "hit"]);
  await expect(cache.get("bad", () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
  expect(await cache.get("bad", async () => 7)).toBe(7);
});

test("over many stores, forgets and reloads, the oldest stored entries are the ones evicted", async () => {
  const cap = 50;
  const cache = new TtlCache<string>(60_000, cap);
  // Reference: keys in store order, oldest first (a reload stores the key again, at the end).
  let order: string[] = [];
  let loads = 0;
  for (let i = 0; i < 2000; i++) {
    const key = `k${(i * 7919) % 120}`;
    if (i % 97 === 0) {
      cache.forget("k1");
      order = order.filter((k) => !k.startsWith("k1"));
    }
    const before = loads;
    await cache.get(key, async () => {
      loads++;
      return key;
    });
    const held = order.includes(key);
    expect(loads - before).toBe(held ? 0 : 1);
    if (!held) {
      if (order.length >= cap) order.shift();
      order.push(key);
    }
  }
});
