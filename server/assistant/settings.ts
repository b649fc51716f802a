import { z } from "zod";
import { defineSettings, int, knob, url } from "../../platform/settings.ts";
import type { LlmSettings } from "./llm.ts";

const text = z.string().trim().min(1).max(500);

/** The support assistant's settings: the optional language model that rephrases retrieved answers. */
export const assistantSettingsGroup = defineSettings("assistant", {
  ASSISTANT_LLM_URL: knob(
    url(["http", "https"]).optional(),
    undefined,
    "OpenAI-compatible base URL (…/v1) whose `/chat/completions` rephrases the assistant's retrieved answers; unset = answers as retrieved",
  ),
  ASSISTANT_LLM_MODEL: knob(text, "default", "model name sent to ASSISTANT_LLM_URL"),
  ASSISTANT_LLM_API_KEY: knob(text.optional(), undefined, "bearer key for ASSISTANT_LLM_URL", {
    secret: true,
  }),
  ASSISTANT_LLM_TIMEOUT_MS: knob(
    int(100, 60_000),
    "8000",
    "a rephrasing not back by then is skipped (the retrieved answer is returned)",
  ),
});

/** The language model to use, or null when none is configured. */
export function loadAssistantSettings(env: Record<string, string | undefined>): LlmSettings | null {
  const s = assistantSettingsGroup.load(env);
  if (!s.ASSISTANT_LLM_URL) return null;
  return {
    url: s.ASSISTANT_LLM_URL,
    model: s.ASSISTANT_LLM_MODEL,
    apiKey: s.ASSISTANT_LLM_API_KEY ?? null,
    timeoutMs: s.ASSISTANT_LLM_TIMEOUT_MS,
  };
}
