import { expect, test } from "bun:test";
import { dotStuff } from "./smtp.ts";

test("lone CR and lone LF become CRLF before dot-stuffing", () => {
  expect(dotStuff("a\r.\rb")).toBe("a\r\n..\r\nb");
  expect(dotStuff("a\n.\nb")).toBe("a\r\n..\r\nb");
  expect(dotStuff("a\r\n\r.x")).toBe("a\r\n\r\n..x");
});

test("no text can put the end-of-data marker (CRLF . CRLF) into the message", () => {
  for (const text of [
    "Hello Eve\r.\r\nMAIL FROM:<x@y>",
    "x\r\n.\r\nQUIT",
    "x\n.\nQUIT",
    "x\r.\rQUIT",
    ".\r\n",
  ]) {
    const data = `\r\n${dotStuff(text)}`;
    expect(data).not.toContain("\r\n.\r\n");
    // Only CRLF pairs remain: no CR or LF stands alone.
    expect(data.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  }
});
