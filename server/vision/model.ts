import { z } from "zod";

/** One label an image model gives an image, score 0..1. */
export interface ImageLabel {
  label: string;
  score: number;
}

/**
 * The extension point: anything that labels an image. No model ships with
 * the shop (none can be downloaded at run time here); `httpImageModel` talks
 * to a model server the operator runs (docs/ai.md has the protocol).
 */
export interface ImageModel {
  labels(image: Uint8Array, contentType: string, signal: AbortSignal): Promise<ImageLabel[]>;
}

const answer = z.object({
  labels: z.array(z.object({ label: z.string().min(1).max(200), score: z.number().min(0).max(1) })).max(100),
});

/** An image model server: `POST <url>` with the image bytes and their content type → `{ labels }`. */
export function httpImageModel(url: string): ImageModel {
  return {
    async labels(image, contentType, signal) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": contentType },
        body: image,
        signal,
      });
      if (!res.ok) throw new Error(`image model server answered ${res.status}`);
      const parsed = answer.parse(await res.json());
      return parsed.labels.sort((a, b) => b.score - a.score);
    },
  };
}
