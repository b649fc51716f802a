import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { composeCommand, output, repoRoot, run } from "./docker.ts";
import { appImage } from "./images.ts";

/**
 * The local compose deployment: project name, files, ports and the
 * environment handed to compose. Everything lives under `.data/deploy/<project>`
 * (secrets, certificate, backups), which is gitignored and never in an image.
 */
export interface StackSettings {
  project: string;
  httpPort: number;
  httpsPort: number;
  stateDir: string;
  secretsDir: string;
  certsDir: string;
}

/**
 * Settings from DEPLOY_PROJECT (default commerce-local) and the ports from
 * DEPLOY_HTTP_PORT / DEPLOY_HTTPS_PORT, else those deploy:up recorded in
 * `ports.json`, else 18080 / 18443.
 */
export function stackSettings(): StackSettings {
  const project = process.env.DEPLOY_PROJECT ?? "commerce-local";
  const stateDir = join(repoRoot, ".data", "deploy", project);
  const portsFile = join(stateDir, "ports.json");
  const recorded = existsSync(portsFile)
    ? (JSON.parse(readFileSync(portsFile, "utf8")) as { http: number; https: number })
    : { http: 18080, https: 18443 };
  return {
    project,
    httpPort: Number(process.env.DEPLOY_HTTP_PORT ?? recorded.http),
    httpsPort: Number(process.env.DEPLOY_HTTPS_PORT ?? recorded.https),
    stateDir,
    secretsDir: join(stateDir, "secrets"),
    certsDir: join(stateDir, "certs"),
  };
}

/** The environment compose interpolates into docker-compose.prod.yml. */
export function composeEnv(s: StackSettings): Record<string, string> {
  return {
    APP_IMAGE: appImage,
    SECRETS_DIR: s.secretsDir,
    CERTS_DIR: s.certsDir,
    HTTP_BIND: "127.0.0.1",
    HTTP_PORT: String(s.httpPort),
    HTTPS_PORT: String(s.httpsPort),
    // The smoke suite's webhook receiver listens on this host's bridge address.
    WEBHOOKS_ALLOW_PRIVATE: process.env.WEBHOOKS_ALLOW_PRIVATE ?? "1",
    // The smoke suite checks out with tok_visa.
    PAYMENTS_TEST_CARD: process.env.PAYMENTS_TEST_CARD ?? "1",
    // Archive a WAL segment at least every 10 s here, so the drill measures a short RPO.
    PG_ARCHIVE_TIMEOUT: process.env.PG_ARCHIVE_TIMEOUT ?? "10",
    // deploy:test's load comes from one client address; the auth zone keeps its production limit.
    PROXY_RATE_ZONES: process.env.PROXY_RATE_ZONES ?? "auth:/api/auth/:5:10,api:/api/:5000:5000",
  };
}

/** `docker-compose -p <project> -f prod -f local <args>`. */
export function compose(
  s: StackSettings,
  args: string[],
  opts: { allowFail?: boolean; quiet?: boolean } = {},
): number {
  return run(
    [
      ...composeCommand(),
      "-p",
      s.project,
      "-f",
      "compose/docker-compose.prod.yml",
      "-f",
      "compose/docker-compose.local.yml",
      ...args,
    ],
    { env: composeEnv(s), ...opts },
  );
}

/** The container id of a compose service (first replica), or "" when it has none. */
export function containerOf(s: StackSettings, service: string): string {
  return (
    output(
      [
        "docker",
        "ps",
        "-q",
        "--filter",
        `label=com.docker.compose.project=${s.project}`,
        "--filter",
        `label=com.docker.compose.service=${service}`,
      ],
      { allowFail: true },
    ).split("\n")[0] ?? ""
  );
}

/** The health status of a container ("healthy", "starting", "unhealthy", or the state when it has no check). */
export function healthOf(container: string): string {
  return output(
    [
      "docker",
      "inspect",
      "-f",
      "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}",
      container,
    ],
    { allowFail: true },
  );
}

/** A secret's value from the stack's secrets directory. */
export function secret(s: StackSettings, name: string): string {
  const file = join(s.secretsDir, name);
  if (!existsSync(file)) throw new Error(`secret ${name} missing: run bun run deploy:up first`);
  return readFileSync(file, "utf8");
}

/** /health on an app instance's own port (the full report), from inside its container. */
export function appHealth(container: string): Record<string, unknown> {
  const script = 'const r = await fetch("http://127.0.0.1:3001/health"); console.log(await r.text())';
  return JSON.parse(output(["docker", "exec", container, "bun", "-e", script])) as Record<string, unknown>;
}

/** `preferred` when nothing on this host listens on it, else a free port chosen by the kernel. */
export function freePort(preferred: number): number {
  for (const port of [preferred, 0]) {
    try {
      const listener = Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } });
      const chosen = listener.port;
      listener.stop(true);
      return chosen;
    } catch {
      // taken: fall through to a kernel-chosen port
    }
  }
  throw new Error("no free TCP port");
}

/**
 * The ports a new deployment publishes: explicit DEPLOY_*_PORT values as given;
 * otherwise the defaults unless something else (another checkout's proxy, say)
 * holds them. Recorded in `ports.json` for the later commands of the stack.
 */
export function choosePorts(s: StackSettings, running: boolean): StackSettings {
  if (running || process.env.DEPLOY_HTTP_PORT || process.env.DEPLOY_HTTPS_PORT) return s;
  const httpPort = freePort(s.httpPort);
  const httpsPort = freePort(s.httpsPort === httpPort ? 0 : s.httpsPort);
  mkdirSync(s.stateDir, { recursive: true });
  writeFileSync(join(s.stateDir, "ports.json"), JSON.stringify({ http: httpPort, https: httpsPort }));
  return { ...s, httpPort, httpsPort };
}

/**
 * After `compose down`: force-removes whatever of the project is still there
 * (compose 1.29 sometimes loses a container it is stopping: "No such
 * container"), then its networks and, with `volumes`, its volumes.
 */
export function removeLeftovers(s: StackSettings, volumes: boolean): void {
  const label = `label=com.docker.compose.project=${s.project}`;
  const list = (cmd: string[]) => output(cmd, { allowFail: true }).split("\n").filter(Boolean);
  const containers = list(["docker", "ps", "-aq", "--filter", label]);
  if (containers.length) run(["docker", "rm", "-f", "-v", ...containers], { allowFail: true });
  const networks = list(["docker", "network", "ls", "-q", "--filter", label]);
  if (networks.length) run(["docker", "network", "rm", ...networks], { allowFail: true });
  const vols = volumes ? list(["docker", "volume", "ls", "-q", "--filter", label]) : [];
  if (vols.length) run(["docker", "volume", "rm", ...vols], { allowFail: true });
}
