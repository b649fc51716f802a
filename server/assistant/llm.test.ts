import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createTestApp } from "../testing/harness.ts";
import type { AssistantAnswer } from "./answer.ts";

setDefaultTimeout(60_000);

let llm: ReturnType<typeof Bun.serve>;
let prompts: string[] = [];
beforeAll(() => {
  // A stand-in OpenAI-compatible endpoint: echoes a rephrasing, or fails on /broken.
  llm = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      if (new URL(req.url).pathname.startsWith("/broken")) return new Response("no", { status: 500 });
      const body = (await req.json()) as { messages: { content: string }[] };
      prompts.push(body.messages[1]!.content);
      return Response.json({ choices: [{ message: { content: "Shipping is 5.00; free above 50.00." } }] });
    },
  });
});
afterAll(() => llm.stop(true));

async function askWith(base: string, question: string): Promise<AssistantAnswer> {
  const t = await createTestApp({ env: { ASSISTANT_LLM_URL: `http://127.0.0.1:${llm.port}${base}` } });
  try {
    const res = await t.request("/api/ai/assistant", { method: "POST", json: { question } });
    return (await res.json()) as AssistantAnswer;
  } finally {
    await t.close();
  }
}

test("a configured model rephrases the retrieved answer, given only the retrieved source", async () => {
  prompts = [];
  const a = await askWith("/v1", "How much does shipping cost?");
  expect(a).toMatchObject({
    rewritten: true,
    answer: "Shipping is 5.00; free above 50.00.",
    source: "article",
  });
  expect(prompts[0]).toContain("Shipping costs 5.00 per order");
});

test("a failing model leaves the retrieved answer as is; 'don't know' is never sent to it", async () => {
  const a = await askWith("/broken", "How much does shipping cost?");
  expect(a.rewritten).toBe(false);
  expect(a.answer).toContain("Shipping costs 5.00");
  prompts = [];
  const none = await askWith("/v1", "Who won the football match yesterday?");
  expect(none.answered).toBe(false);
  expect(prompts).toEqual([]);
});
