import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwtSecret, loadConfig } from "./config.ts";

// bun applies the preload's default timeout to the first file of a run only; these tests
// hash passwords, start processes or fuzz, and take seconds on a loaded machine.
setDefaultTimeout(60_000);

const root = join(import.meta.dir, "..");
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), "jwt-secret-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The process environment without what would decide the outcome. */
function bareEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !["NODE_ENV", "JWT_SECRET", "DATABASE_URL"].includes(k)) env[k] = v;
  return { ...env, ...extra };
}

test("in development the secret is random, made once per data folder, kept there with mode 0600", () => {
  const dir = freshDir();
  const dev = loadConfig({ NODE_ENV: "development", DATA_DIR: dir });
  const secret = jwtSecret(dev);
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  expect(secret).not.toBe("development-only-secret-change-me-in-production!!");
  expect(statSync(join(dir, "jwt-secret")).mode & 0o777).toBe(0o600);
  expect(jwtSecret(loadConfig({ NODE_ENV: "test", DATA_DIR: dir }))).toBe(secret);
  // Another data folder, another secret.
  expect(jwtSecret(loadConfig({ NODE_ENV: "development", DATA_DIR: freshDir() }))).not.toBe(secret);
});

test("every process of a dev run shares the data folder's secret", async () => {
  const dir = freshDir();
  const script = `import { jwtSecret, loadConfig } from "./platform/config.ts"; console.log(jwtSecret(loadConfig()));`;
  const run = () =>
    Bun.spawn([process.execPath, "-e", script], {
      cwd: root,
      env: bareEnv({ NODE_ENV: "development", DATA_DIR: dir }),
      stdout: "pipe",
    });
  // Started together: they race to create the file and must still agree.
  const children = [run(), run(), run()];
  const secrets = await Promise.all(children.map(async (c) => (await new Response(c.stdout).text()).trim()));
  expect(secrets[0]).toMatch(/^[0-9a-f]{64}$/);
  expect(new Set(secrets).size).toBe(1);
});

test("an app process started without NODE_ENV or JWT_SECRET refuses to start", () => {
  const p = Bun.spawnSync([process.execPath, join(root, "server/main.ts")], {
    cwd: root,
    env: bareEnv({ DATA_DIR: freshDir() }),
  });
  expect(p.exitCode).toBe(78);
  expect(p.stderr.toString()).toContain("JWT_SECRET: is required when NODE_ENV=production");
});

test("production without a secret cannot sign", () => {
  expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET/);
  const withSecret = loadConfig({ NODE_ENV: "production", JWT_SECRET: "s".repeat(40) });
  expect(jwtSecret(withSecret)).toBe("s".repeat(40));
});
