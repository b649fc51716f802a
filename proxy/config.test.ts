import { expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configDocs } from "../platform/config.ts";
import { ConfigError } from "../platform/settings.ts";
import { loadProxyConfig } from "./config.ts";
import { proxySettings } from "./settings.ts";

/** The proxy's settings: one declared group, documented, with env over file over defaults. */

test("every PROXY_ variable named in the proxy's code is a documented setting", () => {
  const documented = new Set([...configDocs(), ...proxySettings.docs()].map((d) => d.variable));
  const named = new Set<string>();
  for (const f of readdirSync(import.meta.dir).filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts")))
    for (const m of readFileSync(join(import.meta.dir, f), "utf8").matchAll(/\bPROXY_[A-Z0-9_]+\b/g))
      named.add(m[0]);
  expect(named.size).toBeGreaterThan(20);
  expect([...named].filter((v) => !documented.has(v))).toEqual([]);
  for (const d of proxySettings.docs()) expect(d.doc.length).toBeGreaterThan(10);
});

test("a bad value is a ConfigError naming every bad variable", () => {
  const env = { PROXY_GZIP_LEVEL: "12", PROXY_UPSTREAMS: "nohost", PROXY_BALANCER: "random" };
  let err: unknown;
  try {
    loadProxyConfig(env);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  const vars = (err as ConfigError).problems.map((p) => p.variable).sort();
  expect(vars).toEqual(["PROXY_BALANCER", "PROXY_GZIP_LEVEL", "PROXY_UPSTREAMS"]);
});

test("environment over PROXY_CONFIG_FILE over defaults", () => {
  const file = join(tmpdir(), `proxy-config-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ balancer: "p2c-ewma", pool: { maxIdlePerUpstream: 7 }, retries: 0 }));
  const cfg = loadProxyConfig({
    PROXY_CONFIG_FILE: file,
    PROXY_UPSTREAMS: "10.0.0.5:3001=2,[::1]:3002",
    PROXY_POOL_MAX_IDLE: "9",
    PROXY_RATE_ZONES: "login:/api/auth/login:1:3",
    PROXY_COMPRESSION: "off",
  });
  expect(cfg.balancer).toBe("p2c-ewma"); // file over default
  expect(cfg.retries).toBe(0); // file over default
  expect(cfg.pool.maxIdlePerUpstream).toBe(9); // env over file
  expect(cfg.pool.maxPerUpstream).toBe(2048); // default kept inside a section the file touched
  expect(cfg.upstreams).toEqual([
    { host: "10.0.0.5", port: 3001, weight: 2 },
    { host: "::1", port: 3002, weight: 1 },
  ]);
  expect(cfg.rateLimit.zones).toEqual([{ name: "login", prefix: "/api/auth/login", rate: 1, burst: 3 }]);
  expect(cfg.compression.enabled).toBe(false);
  expect(cfg.compression.gzipLevel).toBe(5);
});
