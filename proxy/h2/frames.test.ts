import { expect, test } from "bun:test";
import { F, frame, headersFrames, settingsFrame, T, wordsFrame } from "./frames.ts";

test("frame headers: length, type, flags, stream id", () => {
  const f = frame(T.PING, F.ACK, 0, Buffer.alloc(8, 7));
  expect([...f.subarray(0, 9)]).toEqual([0, 0, 8, T.PING, F.ACK, 0, 0, 0, 0]);
  expect(wordsFrame(T.RST_STREAM, 0x01020304, 8).subarray(5, 13)).toEqual(
    Buffer.from([1, 2, 3, 4, 0, 0, 0, 8]),
  );
  expect(settingsFrame([[3, 128]]).subarray(9)).toEqual(Buffer.from([0, 3, 0, 0, 0, 128]));
});

test("a block over the peer's frame size is split into HEADERS and CONTINUATIONs", () => {
  const block = Buffer.alloc(25, 1);
  const out = headersFrames(5, block, false, 10);
  const types: number[] = [];
  const flags: number[] = [];
  for (let at = 0; at < out.length; ) {
    const len = out.readUIntBE(at, 3);
    types.push(out[at + 3]!);
    flags.push(out[at + 4]!);
    at += 9 + len;
  }
  expect(types).toEqual([T.HEADERS, T.CONTINUATION, T.CONTINUATION]);
  expect(flags).toEqual([0, 0, F.END_HEADERS]);
});
