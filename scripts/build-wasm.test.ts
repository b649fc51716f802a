import { expect, test } from "bun:test";
import { compileWat, KERNELS, moduleText } from "./build-wasm.ts";

test("each committed WebAssembly module is the compile of its text source (bun run build:wasm)", async () => {
  for (const k of KERNELS) {
    const text = moduleText(k.source, await compileWat(k.source));
    expect(await Bun.file(k.module).text()).toBe(text);
  }
});
