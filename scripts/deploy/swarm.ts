import { join } from "node:path";
import { output, repoRoot, run, waitFor } from "./docker.ts";
import { appImage, buildImages, images } from "./images.ts";
import { ensureCertificate, ensureSecrets } from "./secrets.ts";
import { runSmoke } from "./smoke.ts";
import { appHealth, freePort } from "./stack.ts";
import { ADMIN_EMAIL } from "./up.ts";

/**
 * The smoke suite against `docker stack deploy -c deploy/swarm/stack.yml` on a
 * one-node Swarm (initialised here when the engine is not in one, and left
 * again at the end). Ports are published in host mode on 127.0.0.1's node:
 * DEPLOY_SWARM_HTTPS_PORT (default 19443). Removes the stack and its volumes.
 */
const stack = process.env.DEPLOY_SWARM_STACK ?? "commerce-swarm";
// Host-mode ports: the defaults unless something else on this host holds them.
const httpPort = Number(process.env.DEPLOY_SWARM_HTTP_PORT ?? freePort(19080));
const httpsPort = Number(process.env.DEPLOY_SWARM_HTTPS_PORT ?? freePort(19443));
const stateDir = join(repoRoot, ".data", "deploy", stack);

function swarmState(): string {
  return output(["docker", "info", "-f", "{{.Swarm.LocalNodeState}}"]);
}

/** The running container of a stack service's first task on this node. */
function taskContainer(service: string): string {
  return (
    output([
      "docker",
      "ps",
      "-q",
      "--filter",
      `label=com.docker.swarm.service.name=${stack}_${service}`,
    ]).split("\n")[0] ?? ""
  );
}

/** Services whose every replica runs and reports healthy (migrate: its task completed). */
function stackReady(): boolean {
  const lines = output(["docker", "stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}"]).split(
    "\n",
  );
  for (const line of lines) {
    const [name, replicas] = line.split(" ");
    if (name === `${stack}_migrate`) continue;
    const [running, wanted] = (replicas ?? "0/1").split("/");
    if (running !== wanted) return false;
  }
  const migrate = output(["docker", "service", "ps", `${stack}_migrate`, "--format", "{{.CurrentState}}"]);
  if (!migrate.split("\n").some((s) => s.startsWith("Complete"))) return false;
  const unhealthy = output([
    "docker",
    "ps",
    "--filter",
    `label=com.docker.stack.namespace=${stack}`,
    "--format",
    "{{.Status}}",
  ])
    .split("\n")
    .filter((s) => !s.includes("(healthy)"));
  return unhealthy.length === 0;
}

async function removeStack(): Promise<void> {
  run(["docker", "stack", "rm", stack], { allowFail: true });
  await waitFor(
    "the stack's containers gone",
    () =>
      output(["docker", "ps", "-aq", "--filter", `label=com.docker.stack.namespace=${stack}`])
        ? undefined
        : true,
    120_000,
    1000,
  );
  await waitFor(
    "the stack's networks gone",
    () =>
      output(["docker", "network", "ls", "-q", "--filter", `label=com.docker.stack.namespace=${stack}`])
        ? undefined
        : true,
    60_000,
    1000,
  );
  const volumes = output([
    "docker",
    "volume",
    "ls",
    "-q",
    "--filter",
    `label=com.docker.stack.namespace=${stack}`,
  ]);
  if (volumes) run(["docker", "volume", "rm", ...volumes.split("\n")], { allowFail: true });
}

/** Deploys the stack, runs the smoke suite through the host-mode HTTPS port, removes everything. */
export async function swarmTest(): Promise<Record<string, number>> {
  buildImages();
  const secretsDir = join(stateDir, "secrets");
  const certsDir = join(stateDir, "certs");
  const secrets = ensureSecrets(secretsDir);
  ensureCertificate(certsDir);
  const initialised = swarmState() !== "active";
  if (initialised) run(["docker", "swarm", "init", "--advertise-addr", "127.0.0.1"]);
  const node = output(["docker", "info", "-f", "{{.Swarm.NodeID}}"]);
  try {
    run(["docker", "node", "update", "--label-add", "commerce.data=true", node]);
    run(["docker", "stack", "deploy", "--resolve-image", "never", "-c", "deploy/swarm/stack.yml", stack], {
      env: {
        APP_IMAGE: appImage,
        POSTGRES_IMAGE: images.postgres,
        REDIS_IMAGE: images.redis,
        RABBITMQ_IMAGE: images.rabbitmq,
        SECRETS_DIR: secretsDir,
        CERTS_DIR: certsDir,
        HTTP_PORT: String(httpPort),
        HTTPS_PORT: String(httpsPort),
        WEBHOOKS_ALLOW_PRIVATE: "1",
        PROXY_RATE_ZONES: "auth:/api/auth/:5:10,api:/api/:5000:5000",
      },
    });
    const t0 = performance.now();
    await waitFor(
      "every stack service running and healthy",
      () => (stackReady() ? true : undefined),
      300_000,
      2000,
    );
    console.log(`swarm stack healthy after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    run(
      [
        "docker",
        "exec",
        "-e",
        "ADMIN_PASSWORD",
        taskContainer("app"),
        "bun",
        "--preload",
        "/srv/deploy/docker/secrets.ts",
        "/srv/scripts/create-admin.ts",
        "--email",
        ADMIN_EMAIL,
        "--name",
        "Admin",
      ],
      { env: { ADMIN_PASSWORD: secrets.admin_password } },
    );
    // The workers leave through docker_gwbridge; this host is its gateway.
    const gateway = output([
      "docker",
      "network",
      "inspect",
      "docker_gwbridge",
      "-f",
      "{{(index .IPAM.Config 0).Gateway}}",
    ]);
    console.log("smoke suite (swarm):");
    return await runSmoke({
      baseUrl: `https://127.0.0.1:${httpsPort}`,
      adminEmail: ADMIN_EMAIL,
      adminPassword: secrets.admin_password ?? "",
      webhookHost: gateway,
      fullHealth: async () => appHealth(taskContainer("app")),
    });
  } finally {
    await removeStack();
    if (initialised) {
      run(["docker", "swarm", "leave", "--force"], { allowFail: true });
      // swarm init made this bridge; leaving does not remove it.
      run(["docker", "network", "rm", "docker_gwbridge"], { allowFail: true, quiet: true });
    }
  }
}

if (import.meta.main) await swarmTest();
