import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { imageExists, output, repoRoot, run } from "./docker.ts";

/**
 * The images of a local deployment, built once and reused: images already in
 * the engine are not rebuilt (the base images), and the app image build is
 * layer-cached, so a second `deploy:up` costs seconds. The mmdebstrap tarball
 * and the Bun package are cached in DEPLOY_CACHE_DIR between runs.
 */

export const BUN_VERSION = "1.4.5";
export const images = {
  debian: "local/debian:bookworm",
  bun: `local/bun:${BUN_VERSION}`,
  postgres: "local/postgres:bookworm",
  redis: "local/redis:bookworm",
  rabbitmq: "local/rabbitmq:bookworm",
};
/** The one app image every role (proxy, app, workers, migrate) runs. */
export const appImage = process.env.APP_IMAGE ?? "commerce/app:local";

const cacheDir = process.env.DEPLOY_CACHE_DIR ?? "/var/tmp/commerce-deploy-cache";

function timed(what: string, fn: () => void): void {
  const t0 = performance.now();
  fn();
  console.log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** local/debian:bookworm from Debian's packages (mmdebstrap minbase + ca-certificates). */
function buildDebianBase(): void {
  mkdirSync(cacheDir, { recursive: true });
  const tar = join(cacheDir, "bookworm-minbase.tar");
  if (!existsSync(tar)) {
    if (!Bun.which("mmdebstrap")) throw new Error("mmdebstrap is missing: apt-get install -y mmdebstrap");
    // --format=tar: with the .tmp name mmdebstrap would otherwise write a directory.
    run([
      "mmdebstrap",
      "--quiet",
      "--format=tar",
      "--variant=minbase",
      "--include=ca-certificates",
      "bookworm",
      `${tar}.tmp`,
    ]);
    run(["mv", `${tar}.tmp`, tar]);
  }
  run(["docker", "import", tar, images.debian]);
}

/** local/bun: the Debian base plus Bun from the npm package, and this machine's extra CAs. */
function buildBunBase(): void {
  const ctx = join(cacheDir, "bun-context");
  rmSync(join(ctx, "extra-ca"), { recursive: true, force: true });
  mkdirSync(join(ctx, "extra-ca"), { recursive: true });
  const tgz = `oven-bun-linux-x64-${BUN_VERSION}.tgz`;
  if (!existsSync(join(ctx, tgz)))
    run(["npm", "pack", "--silent", `@oven/bun-linux-x64@${BUN_VERSION}`], { cwd: ctx });
  const caDir = "/usr/local/share/ca-certificates";
  if (existsSync(caDir))
    for (const f of readdirSync(caDir))
      if (f.endsWith(".crt")) cpSync(join(caDir, f), join(ctx, "extra-ca", f));
  cpSync(join(repoRoot, "deploy/docker/bun-local.Dockerfile"), join(ctx, "Dockerfile"));
  run(["docker", "build", "-q", "--build-arg", `BUN_TGZ=${tgz}`, "-t", images.bun, ctx]);
}

/** Builds whatever of the local images is missing, then the app image (layer-cached). */
export function buildImages(opts: { rebuildBases?: boolean } = {}): string {
  const need = (ref: string) => opts.rebuildBases || !imageExists(ref);
  if (need(images.debian)) timed("base image local/debian", buildDebianBase);
  if (need(images.bun)) timed("base image local/bun", buildBunBase);
  for (const name of ["postgres", "redis", "rabbitmq"] as const) {
    if (need(images[name]))
      timed(`image ${images[name]}`, () =>
        run([
          "docker",
          "build",
          "-q",
          "-f",
          `deploy/local/${name}.Dockerfile`,
          "-t",
          images[name],
          "deploy/local",
        ]),
      );
  }
  timed(`app image ${appImage}`, () =>
    run(["docker", "build", "-q", "--build-arg", `BUN_IMAGE=${images.bun}`, "-t", appImage, "."]),
  );
  return output(["docker", "image", "inspect", "-f", "{{.Id}}", appImage]);
}

if (import.meta.main) buildImages({ rebuildBases: process.argv.includes("--rebuild-bases") });
