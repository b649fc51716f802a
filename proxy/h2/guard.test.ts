import { expect, test } from "bun:test";
import { frame, PREFACE } from "../testing/h2.ts";
import { FrameGuard, type GuardLimits } from "./guard.ts";

const limits: GuardLimits = {
  maxResetsPerSecond: 3,
  maxControlPerSecond: 5,
  maxHeaderBlockBytes: 100,
  maxContinuations: 2,
  maxFrameBytes: 16_384,
};
const headers = (id: number, flags = 0x5, len = 10) => frame(1, flags, id, Buffer.alloc(len));

test("ordinary traffic passes, split anywhere across reads", () => {
  const bytes = Buffer.concat([
    PREFACE,
    frame(4, 0, 0),
    headers(1),
    frame(0, 0x1, 1, Buffer.alloc(500)),
    frame(1, 0x1, 3, Buffer.alloc(60)), // no END_HEADERS: a CONTINUATION must follow
    frame(9, 0x4, 3, Buffer.alloc(30)),
    frame(4, 0x1, 0), // SETTINGS ACK is not counted
  ]);
  for (const step of [1, 7, 9, 100, bytes.length]) {
    const g = new FrameGuard(limits);
    for (let at = 0; at < bytes.length; at += step)
      expect(g.feed(bytes.subarray(at, at + step), 0)).toBeNull();
  }
});

test("rapid reset: RST_STREAM over the per-second cap; the window restarts each second", () => {
  const g = new FrameGuard(limits);
  const rst = (id: number) => frame(3, 0, id, Buffer.from([0, 0, 0, 8]));
  expect(g.feed(Buffer.concat([PREFACE, rst(1), rst(3), rst(5)]), 0)).toBeNull();
  expect(g.feed(Buffer.concat([rst(7), rst(9), rst(11)]), 1000)).toBeNull();
  expect(g.feed(rst(13), 1500)).toBe("rapid-reset");
  // The verdict sticks.
  expect(g.feed(headers(15), 5000)).toBe("rapid-reset");
});

test("CONTINUATION flood: too many frames or too many bytes in one block", () => {
  const byFrames = new FrameGuard(limits);
  const cont = (flags = 0) => frame(9, flags, 1, Buffer.alloc(1));
  expect(byFrames.feed(Buffer.concat([PREFACE, headers(1, 0x1), cont(), cont()]), 0)).toBeNull();
  expect(byFrames.feed(cont(), 0)).toBe("continuation-flood");
  const byBytes = new FrameGuard(limits);
  expect(
    byBytes.feed(Buffer.concat([PREFACE, headers(1, 0x1, 90), frame(9, 0, 1, Buffer.alloc(20))]), 0),
  ).toBe("continuation-flood");
});

test("control floods, interleaved blocks, pushes and oversized frames", () => {
  const g = new FrameGuard(limits);
  const ping = frame(6, 0, 0, Buffer.alloc(8));
  expect(g.feed(Buffer.concat([PREFACE, ping, ping, ping, ping, ping]), 0)).toBeNull();
  expect(g.feed(frame(0, 0, 1), 0)).toBe("control-flood"); // empty DATA without END_STREAM counts too
  const interleaved = new FrameGuard(limits);
  expect(interleaved.feed(Buffer.concat([PREFACE, headers(1, 0x1), headers(3)]), 0)).toBe("protocol");
  expect(new FrameGuard(limits).feed(Buffer.concat([PREFACE, frame(5, 0, 1)]), 0)).toBe("protocol");
  expect(new FrameGuard(limits).feed(Buffer.concat([PREFACE, frame(9, 0x4, 1)]), 0)).toBe("protocol");
  const big = Buffer.concat([PREFACE, frame(0, 0, 1, Buffer.alloc(20_000))]);
  expect(new FrameGuard(limits).feed(big, 0)).toBe("protocol");
});
