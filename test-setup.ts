import { afterAll, setDefaultTimeout } from "bun:test";
import { stopTestServer } from "./db/testing.ts";

// Integration tests start real processes and databases on a shared 2-core
// machine; bun's 5 s default is too tight for them. Note: setDefaultTimeout
// here only reaches the first test file (it is per file), so `npm test` passes
// --timeout, and hooks or tests that start clusters or processes name their
// own timeout.
setDefaultTimeout(60_000);

// Without a Postgres to test against, the suite starts an embedded one; stop it at the end.
afterAll(() => stopTestServer());
