import { output, run, waitFor } from "./docker.ts";
import { buildImages } from "./images.ts";
import { ensureCertificate, ensureSecrets } from "./secrets.ts";
import {
  choosePorts,
  compose,
  containerOf,
  healthOf,
  type StackSettings,
  secret,
  stackSettings,
} from "./stack.ts";

/**
 * `bun run deploy:up`: builds the images here (base images once, the app image
 * layer-cached), writes secrets and a self-signed certificate if missing, starts
 * the production compose with the local override, waits until every service is
 * healthy, bootstraps the admin account from its secret and prints the proxy URL.
 */

/** Services that must report healthy before the stack counts as up. */
export const healthyServices = [
  "postgres-primary",
  "postgres-replica",
  "redis",
  "rabbitmq",
  "app-1",
  "app-2",
  "app-3",
  "workers",
  "proxy",
];

export const ADMIN_EMAIL = "admin@example.com";

/** Waits until every service in `healthyServices` is healthy. */
export async function waitHealthy(s: StackSettings, timeoutMs = 240_000): Promise<void> {
  await waitFor(
    "all services healthy",
    () => {
      const pending = healthyServices.filter((svc) => healthOf(containerOf(s, svc)) !== "healthy");
      return pending.length === 0 ? true : undefined;
    },
    timeoutMs,
    2000,
  );
}

/** Creates (or keeps) the admin account; the password goes through the environment, never the command line. */
export function bootstrapAdmin(s: StackSettings): void {
  const app = containerOf(s, "app-1");
  run(
    [
      "docker",
      "exec",
      "-e",
      "ADMIN_PASSWORD",
      app,
      "bun",
      "--preload",
      "/srv/deploy/docker/secrets.ts",
      "/srv/scripts/create-admin.ts",
      "--email",
      ADMIN_EMAIL,
      "--name",
      "Admin",
    ],
    { env: { ADMIN_PASSWORD: secret(s, "admin_password") } },
  );
}

/** Brings the stack up and returns its settings once it is healthy. */
export async function deployUp(): Promise<StackSettings> {
  const s = choosePorts(stackSettings(), containerOf(stackSettings(), "proxy") !== "");
  buildImages();
  ensureSecrets(s.secretsDir);
  ensureCertificate(s.certsDir);
  const t0 = performance.now();
  compose(s, ["up", "-d", "--remove-orphans"]);
  try {
    await waitHealthy(s);
  } catch (err) {
    compose(s, ["ps"], { allowFail: true });
    throw err;
  }
  console.log(`stack healthy after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  bootstrapAdmin(s);
  return s;
}

if (import.meta.main) {
  const s = await deployUp();
  console.log(
    output([
      "docker",
      "ps",
      "--filter",
      `label=com.docker.compose.project=${s.project}`,
      "--format",
      "{{.Names}}\t{{.Status}}",
    ]),
  );
  console.log(
    `\nproxy: http://127.0.0.1:${s.httpPort}  https://127.0.0.1:${s.httpsPort}  (admin ${ADMIN_EMAIL}, password in ${s.secretsDir}/admin_password)`,
  );
}
