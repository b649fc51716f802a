import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createUsers, type TestUser } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/harness.ts";

setDefaultTimeout(60_000);

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
let modelServer: ReturnType<typeof Bun.serve>;
let seen: { type: string | null; bytes: number }[] = [];

beforeAll(() => {
  // A stand-in image model server speaking the documented protocol.
  modelServer = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      seen.push({ type: req.headers.get("content-type"), bytes: (await req.arrayBuffer()).byteLength });
      if (new URL(req.url).pathname === "/slow") await Bun.sleep(2000);
      return Response.json({
        labels: [
          { label: "lamp", score: 0.2 },
          { label: "sofa", score: 0.9 },
        ],
      });
    },
  });
});
afterAll(() => modelServer.stop(true));

async function withApp(env: Record<string, string>, run: (t: TestApp, u: TestUser) => Promise<void>) {
  const t = await createTestApp({ env });
  try {
    await run(t, (await createUsers(t.sql, 1))[0]!);
  } finally {
    await t.close();
  }
}
const send = (t: TestApp, u: TestUser, body: Uint8Array, type = "image/png") =>
  t.request("/api/ai/vision/labels", {
    method: "POST",
    token: u.token,
    headers: { "content-type": type },
    body,
  });

test("with a model server: labels best first; the image is forwarded as sent", async () => {
  seen = [];
  await withApp({ VISION_MODEL_URL: `http://127.0.0.1:${modelServer.port}/labels` }, async (t, u) => {
    const res = await send(t, u, png);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      available: true,
      labels: [
        { label: "sofa", score: 0.9 },
        { label: "lamp", score: 0.2 },
      ],
    });
    expect(seen).toEqual([{ type: "image/png", bytes: png.length }]);
    expect((await send(t, u, png, "text/plain")).status).toBe(415);
    expect((await t.request("/api/ai/vision/labels", { method: "POST", body: png })).status).toBe(401);
  });
});

test("no model configured, or a slow one: no labels, never an error", async () => {
  await withApp({}, async (t, u) => {
    expect(await (await send(t, u, png)).json()).toEqual({ available: false, labels: [] });
  });
  await withApp(
    { VISION_MODEL_URL: `http://127.0.0.1:${modelServer.port}/slow`, VISION_TIMEOUT_MS: "200" },
    async (t, u) => {
      const res = await send(t, u, png);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ available: false, labels: [] });
    },
  );
});
