import { defineSettings, int, knob, url } from "../../platform/settings.ts";

/** The visual-recognition extension point's settings: where an image model server answers. */
export const visionSettingsGroup = defineSettings("vision", {
  VISION_MODEL_URL: knob(
    url(["http", "https"]).optional(),
    undefined,
    "image model server for `/api/ai/vision/labels` (docs/ai.md: POST image bytes → `{ labels: [{ label, score }] }`); unset = no visual recognition",
  ),
  VISION_TIMEOUT_MS: knob(
    int(100, 60_000),
    "5000",
    "a model server that has not answered by then gives no labels",
  ),
});

/** What visual recognition is configured with (url null = not installed). */
export interface VisionSettings {
  url: string | null;
  timeoutMs: number;
}

/** Reads the vision settings from `env`. */
export function loadVisionSettings(env: Record<string, string | undefined>): VisionSettings {
  const s = visionSettingsGroup.load(env);
  return { url: s.VISION_MODEL_URL ?? null, timeoutMs: s.VISION_TIMEOUT_MS };
}
