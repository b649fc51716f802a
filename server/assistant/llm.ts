import { z } from "zod";

/** An OpenAI-compatible chat endpoint that may rephrase retrieved answers. */
export interface LlmSettings {
  url: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
}

const reply = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().min(1) }) })).min(1),
});

/**
 * Asks the model to rephrase `answer` for `question` using only `sources`.
 * Null on any failure or time-out: the caller then returns the retrieved
 * answer as is (the model only ever rewrites; it never answers on its own).
 */
export async function rewrite(
  s: LlmSettings,
  question: string,
  answer: string,
  sources: string[],
): Promise<string | null> {
  try {
    const res = await fetch(`${s.url.replace(/\/$/, "")}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(s.apiKey ? { authorization: `Bearer ${s.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: s.model,
        temperature: 0,
        messages: [
          {
            role: "system",
            content:
              "You are a shop's support assistant. Rewrite the draft answer to the customer's question in a friendly, short way. Use ONLY facts from the sources; add nothing else. If the sources do not answer the question, say you do not know.",
          },
          {
            role: "user",
            content: `Question: ${question}\n\nSources:\n${sources.map((x, i) => `[${i + 1}] ${x}`).join("\n")}\n\nDraft answer: ${answer}`,
          },
        ],
      }),
      signal: AbortSignal.timeout(s.timeoutMs),
    });
    if (!res.ok) return null;
    return reply.parse(await res.json()).choices[0]!.message.content.trim();
  } catch {
    return null;
  }
}
