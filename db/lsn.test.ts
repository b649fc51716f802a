import { expect, test } from "bun:test";
import { formatLsn, parseLsn } from "./lsn.ts";

test("LSNs parse to ordered bigints and format back", () => {
  expect(parseLsn("0/3000000")).toBe(0x3000000n);
  expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
  expect(parseLsn("1/0") > parseLsn("0/FFFFFFFF")).toBe(true);
  expect(formatLsn(parseLsn("16/B374D848"))).toBe("16/B374D848");
  expect(() => parseLsn("nope")).toThrow();
});
