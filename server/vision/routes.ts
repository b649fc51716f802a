import { Hono } from "hono";
import { HttpProblem } from "../../platform/problem.ts";
import { type AuthEnv, authenticate, requireAuth } from "../core/auth.ts";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { httpImageModel, type ImageLabel, type ImageModel } from "./model.ts";
import type { VisionSettings } from "./settings.ts";

const TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
const MAX_BYTES = 5 * 1024 * 1024;

/** `POST /api/ai/vision/labels`: the image in the body; labels from the configured model, or none. */
function visionRoutes(deps: AppDeps, settings: VisionSettings, model: ImageModel | null): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post("/labels", authenticate(deps), requireAuth(), async (c) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!TYPES.has(type))
      throw new HttpProblem(
        415,
        "unsupported-image-type",
        "Send a JPEG, PNG or WebP image as the request body.",
      );
    const image = new Uint8Array(await c.req.arrayBuffer());
    if (!image.length || image.length > MAX_BYTES)
      throw new HttpProblem(413, "image-too-large", "The image must be between 1 byte and 5 MiB.");
    if (!model) return c.json({ available: false, labels: [] as ImageLabel[] });
    try {
      const labels = await model.labels(image, type, AbortSignal.timeout(settings.timeoutMs));
      return c.json({ available: true, labels });
    } catch (err) {
      // An optional service: a broken or slow model server means no labels, never an error page.
      deps.logger.warn("image model server failed; answering no labels", { err });
      deps.metrics.counter("vision_model_failures_total", "image model calls that failed or timed out").inc();
      return c.json({ available: false, labels: [] as ImageLabel[] });
    }
  });
  return app;
}

/** The visual-recognition route module; without VISION_MODEL_URL it answers `available: false`. */
export function visionModule(settings: VisionSettings): RouteModule {
  const model = settings.url ? httpImageModel(settings.url) : null;
  return (app, deps) => {
    app.route("/api/ai/vision", visionRoutes(deps, settings, model));
  };
}
