import { expect, test } from "bun:test";
import fc from "fast-check";
import { TitleStore } from "./titles.ts";

test("orders, matches and compares titles exactly as JavaScript strings do", () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 40 }),
      fc.string(),
      (titles, probe) => {
        const store = new TitleStore();
        store.ensure(titles.length);
        for (const [i, t] of titles.entries()) store.set(i, t);
        const sign = (n: number) => Math.sign(n);
        for (let a = 0; a < titles.length; a++) {
          expect(store.get(a)).toBe(titles[a]!);
          expect(store.equals(a, probe)).toBe(titles[a] === probe);
          expect(store.startsWith(a, probe)).toBe(titles[a]!.startsWith(probe));
          const x = titles[a]!;
          expect(sign(store.compareText(a, probe))).toBe(x < probe ? -1 : x > probe ? 1 : 0);
          for (let b = 0; b < titles.length; b++) {
            const y = titles[b]!;
            expect(sign(store.compare(a, b))).toBe(x < y ? -1 : x > y ? 1 : 0);
          }
        }
      },
    ),
  );
});

test("a changed title replaces the slot's; an equal one keeps its place; the store grows", () => {
  const store = new TitleStore();
  store.ensure(1);
  store.set(0, "alpha");
  store.set(0, "alpha");
  store.set(0, "beta");
  expect(store.get(0)).toBe("beta");
  const long = "x".repeat(70_000);
  store.ensure(3000);
  store.set(2999, long);
  expect(store.get(2999)).toBe(long);
  expect(store.get(0)).toBe("beta");
});

test("widens from bytes to 16-bit units at the first title that needs it, keeping the earlier ones", () => {
  const store = new TitleStore();
  store.ensure(3);
  store.set(0, "zebra");
  store.set(1, "żubr");
  store.set(2, "apple");
  expect([store.get(0), store.get(1), store.get(2)]).toEqual(["zebra", "żubr", "apple"]);
  // "ż" (U+017C) sorts after every Latin-1 letter, as with JavaScript strings.
  expect(Math.sign(store.compare(1, 0))).toBe(1);
  expect(store.startsWith(1, "żu")).toBe(true);
});
