import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { ConfigError, loadConfig } from "./config.ts";

// Real services: more than bun's 5 s default (the preload's setDefaultTimeout reaches only the first file).
setDefaultTimeout(60_000);

test("defaults apply when nothing is set", () => {
  const c = loadConfig({});
  expect(c.PROXY_PORT).toBe(8080);
  expect(c.APP_PORT_BASE).toBe(3001);
  expect(c.APP_INSTANCES).toBeGreaterThan(0);
  expect(c.DATABASE_REPLICA_URLS).toEqual([]);
  expect(c.DATABASE_URL).toBeUndefined();
});

test("bad values name the variable", () => {
  try {
    loadConfig({ APP_INSTANCES: "abc", DATABASE_URL: "mysql://x", REDIS_URL: "not a url" });
    throw new Error("expected a ConfigError");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const vars = (err as ConfigError).problems.map((p) => p.variable).sort();
    expect(vars).toEqual(["APP_INSTANCES", "DATABASE_URL", "REDIS_URL"]);
    expect((err as Error).message).toContain("APP_INSTANCES: must be an integer");
  }
});

test("replica URLs are split and validated", () => {
  const c = loadConfig({ DATABASE_REPLICA_URLS: "postgres://a/x, postgres://b/x" });
  expect(c.DATABASE_REPLICA_URLS).toEqual(["postgres://a/x", "postgres://b/x"]);
  expect(() => loadConfig({ DATABASE_REPLICA_URLS: "postgres://a/x,http://b" })).toThrow(ConfigError);
});

test("production requires a JWT secret", () => {
  expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET/);
});

test("a process started with bad env fails at start with a clear message", () => {
  const p = Bun.spawnSync([process.execPath, join(import.meta.dir, "../server/cluster.ts")], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      APP_INSTANCES: "abc",
    },
  });
  expect(p.exitCode).toBe(78);
  expect(p.stderr.toString()).toContain("APP_INSTANCES: must be an integer");
});
