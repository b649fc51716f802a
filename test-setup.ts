import { afterAll, setDefaultTimeout } from "bun:test";
import { stopTestServer } from "./db/testing.ts";

/**
 * Test preload (bunfig.toml). Tests are hermetic: the caller's shell must not
 * change what they do. Everything the code under test could read from the
 * environment (DATABASE_URL, JWT_SECRET, ADMIN_PASSWORD, NODE_ENV, the checkout
 * and proxy knobs, fault flags, ...) is removed here, before any test runs;
 * tests pass configuration to the code explicitly. Kept: the process basics
 * and the variables that say which test services to use.
 */
const KEEP = new Set([
  // process basics
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "TMPDIR",
  "TZ",
  "LANG",
  "NO_COLOR",
  "FORCE_COLOR",
  // which services the tests use (README: Tests), and whether they are required
  "TEST_DATABASE_URL",
  "REDIS_URL",
  "AMQP_URL",
  "ELASTICSEARCH_URL",
  "REQUIRE_SERVICES",
  "CI",
  // knobs of the tests themselves
  "PROXY_KILL_TEST_SECONDS",
]);
const KEEP_PREFIXES = ["LC_", "BUN_", "TEST_"];
for (const name of Object.keys(process.env)) {
  if (!KEEP.has(name) && !KEEP_PREFIXES.some((p) => name.startsWith(p))) delete process.env[name];
}
process.env.NODE_ENV = "test";

// Integration tests start real processes and databases on a shared 2-core
// machine; bun's 5 s default is too tight for them. setDefaultTimeout is per
// file, so here it reaches only the first test file: every test file that uses
// real services calls setDefaultTimeout itself, and `npm test` also passes
// --timeout (bunfig.toml has no timeout key).
setDefaultTimeout(60_000);

// Without a Postgres to test against, the suite starts an embedded one; stop it at the end.
afterAll(() => stopTestServer());
